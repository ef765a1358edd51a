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
 * (they run as promise jobs, out of the kernel's sight; see loader/run_app.ts for what is
 * covered).
 */

import { DeadlinePassed, type Platform } from "../hal/platform.ts";

const NS_PER_MS = 1e6;

/** App code ran past its budget and was stopped. `message` is the whole sentence. */
export class BudgetExceeded extends Error {
  override readonly name = "BudgetExceeded";
  constructor(readonly what: string, readonly budgetMs: number) {
    super(`${what} ran past its ${budgetMs} ms budget`);
  }
}

export class Watchdog {
  readonly #platform: Pick<Platform, "monotonicNs" | "runWithDeadline">;

  constructor(platform: Pick<Platform, "monotonicNs" | "runWithDeadline">, readonly budgetMs: number) {
    if (!(Number.isInteger(budgetMs) && budgetMs >= 1)) throw new RangeError(`Cannot make a watchdog with a budget of ${budgetMs} ms: not an integer ≥ 1`);
    this.#platform = platform;
  }

  /** fn's result, or fn's exception; BudgetExceeded (naming `what`) when it ran past the budget. */
  run<T>(what: string, fn: () => T): T {
    let result: { value: T } | undefined;
    const outcome = this.#platform.runWithDeadline(this.#platform.monotonicNs() + this.budgetMs * NS_PER_MS, () => {
      result = { value: fn() };
    });
    if (outcome === DeadlinePassed || result === undefined) {
      // An async fn stopped in its first slice left a rejected promise: nobody will await it.
      if (result?.value instanceof Promise) result.value.then(undefined, () => {});
      throw new BudgetExceeded(what, this.budgetMs);
    }
    return result.value;
  }
}
