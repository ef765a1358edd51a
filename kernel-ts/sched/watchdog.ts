/**
 * watchdog: a CPU budget for one synchronous run of app code (DESIGN.md, "The event loop":
 * runaway synchronous code in an app is stopped, the kernel lives).
 *
 * Watchdog.run(what, fn) calls fn through Platform.runWithDeadline with the deadline
 * `budgetMs` from now. If fn's synchronous run passes it, the platform stops fn (native:
 * QuickJS's interrupt handler, shim/js/hal_watchdog.c; fake and hosted judge it when fn is
 * done) and run throws BudgetExceeded — "fetch(GET /x) ran past its 100 ms budget" — which
 * the caller reports as the app's failure. Only the slice that runs inside fn is measured:
 * an async function's first slice up to its first await, not the continuations after it
 * (they run as promise jobs, out of the kernel's sight; see loader/app_life.ts for what is
 * covered).
 *
 * Cold code: the first run of each kind of entry (the part of `what` before "(": "main",
 * "fetch", a timer callback…) gets COLD_FACTOR times the budget. Under an emulator such as
 * qemu's TCG the first execution of code includes translating it — hundreds of ms for an
 * app's first request on a loaded machine — and a budget meant for runaway loops must not
 * fail a healthy app's first call. A loop that never ends is stopped all the same.
 */

import { DeadlinePassed, type Platform } from "../hal/platform.ts";

const NS_PER_MS = 1e6;
/** The first run of each kind of entry may take this many budgets (see above). */
export const COLD_FACTOR = 20;

/** App code ran past its budget and was stopped. `message` is the whole sentence. */
export class BudgetExceeded extends Error {
  override readonly name = "BudgetExceeded";
  constructor(readonly what: string, readonly budgetMs: number) {
    super(`${what} ran past its ${budgetMs} ms budget`);
  }
}

export class Watchdog {
  readonly #platform: Pick<Platform, "monotonicNs" | "runWithDeadline">;
  /** Kinds of entry that have run once (their code is warm). */
  readonly #warm = new Set<string>();

  constructor(platform: Pick<Platform, "monotonicNs" | "runWithDeadline">, readonly budgetMs: number) {
    if (!(Number.isInteger(budgetMs) && budgetMs >= 1)) throw new RangeError(`Cannot make a watchdog with a budget of ${budgetMs} ms: not an integer ≥ 1`);
    this.#platform = platform;
  }

  /**
   * fn's result, or fn's exception; BudgetExceeded (naming `what`) when it ran past the budget.
   * With `detail`, the name is `what(detail())`, made only for the error: a label that costs
   * something to make (a request's path) is not made for every call that keeps its budget.
   */
  run<T>(what: string, fn: () => T, detail?: () => string): T {
    let result: { value: T } | undefined;
    const kind = what.split("(")[0]!;
    const budgetMs = this.#warm.has(kind) ? this.budgetMs : this.budgetMs * COLD_FACTOR;
    this.#warm.add(kind);
    const outcome = this.#platform.runWithDeadline(this.#platform.monotonicNs() + budgetMs * NS_PER_MS, () => {
      result = { value: fn() };
    });
    if (outcome === DeadlinePassed || result === undefined) {
      // An async fn stopped in its first slice left a rejected promise: nobody will await it.
      if (result?.value instanceof Promise) result.value.then(undefined, () => {});
      throw new BudgetExceeded(detail === undefined ? what : `${what}(${detail()})`, budgetMs);
    }
    return result.value;
  }
}
