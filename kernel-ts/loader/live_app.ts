/**
 * live_app: a running fetch app whose code can be replaced while it serves (hot reload;
 * the development channel, kernel-ts/reload, calls reload()).
 *
 * The HTTP server holds one handler for the app's whole life, LiveFetchApp.handler, which
 * calls the current generation's fetch. A reload:
 *   1. evaluates the new code in a fresh context, with fresh timers (Platform.evaluateApp);
 *   2. calls the old module's optional `dispose()` for its state, which must be plain data
 *      (it is structured-cloned: functions, sockets and the like are refused);
 *   3. calls the new module's optional `start(state)`;
 *   4. swaps: requests that start from now on (on new and on kept-alive connections alike)
 *      go to the new code; requests in flight finish on the old code.
 * The old generation's timers are dropped once its last request in flight is done (or after
 * RETIRE_GRACE_MS). A reload that fails — the code does not load or throws while loading,
 * has no fetch(), `dispose()` throws, or `start(state)` throws — is rejected with the error
 * and the old code keeps serving; when `start` threw, the old module's own `start(state)` is
 * called to hand its state back. Nothing in between is ever visible to a request: the swap is
 * one assignment, made after every step succeeded.
 *
 * dispose and start may be async; each runs under the app's CPU budget up to its first await.
 */

import type { AppGlobals, AppScope } from "../globals.ts";
import type { ModuleNamespace, Platform } from "../hal/platform.ts";
import type { FetchHandler } from "../http/connection.ts";
import type { Scheduler, TimerGroup, Watchdog } from "../sched/mod.ts";

/** What the development service sees of a running app. */
export interface LiveApp {
  readonly name: string;
  /** Replaces the app's code (see above); rejects with why it could not. */
  reload(code: Uint8Array): Promise<ReloadTimes>;
}

export interface ReloadTimes {
  /** Evaluating the new code. */
  readonly loadMs: number;
  /** dispose, start and the swap. */
  readonly swapMs: number;
}

/** The running apps that can be reloaded, by name. */
export type LiveApps = Map<string, LiveApp>;

/** How long an old generation's timers may outlive the swap while its requests finish. */
export const RETIRE_GRACE_MS = 30_000;

interface Generation {
  readonly entry: Record<string, unknown>;
  readonly fetch: FetchHandler;
  readonly timers: TimerGroup;
  inflight: number;
  retired: boolean;
}

export interface LiveFetchAppDeps {
  readonly name: string;
  readonly platform: Pick<Platform, "evaluateApp" | "monotonicNs">;
  readonly scheduler: Scheduler;
  readonly watchdog: Watchdog;
  /** The app's scope and globals over a timer group: what each generation's context gets. */
  readonly api: (timers: TimerGroup) => { readonly scope: AppScope; readonly globals: AppGlobals };
}

export class LiveFetchApp implements LiveApp {
  readonly name: string;
  readonly #deps: LiveFetchAppDeps;
  #current: Generation;
  #reloading = false;

  /** `entry` is the default export of the code loaded first, with `timers` its timer group. */
  constructor(deps: LiveFetchAppDeps, entry: Record<string, unknown>, timers: TimerGroup) {
    this.name = deps.name;
    this.#deps = deps;
    this.#current = generation(entry, timers);
  }

  /** The handler the HTTP server calls: the current generation's fetch, each call's first slice under the budget. */
  readonly handler: FetchHandler = (request, env, context) => {
    const generation = this.#current;
    generation.inflight++;
    let result: unknown;
    try {
      result = this.#deps.watchdog.run(`fetch(${request.method} ${pathOf(request)})`, () => generation.fetch(request, env, context));
    } catch (error) {
      this.#done(generation);
      throw error;
    }
    return Promise.resolve(result).finally(() => this.#done(generation)) as ReturnType<FetchHandler>;
  };

  async reload(code: Uint8Array): Promise<ReloadTimes> {
    if (this.#reloading) throw new Error(`Cannot reload app ${this.name}: a reload is already running`);
    this.#reloading = true;
    const { platform, scheduler, watchdog } = this.#deps;
    const timers = scheduler.timerGroup(watchdog);
    try {
      const started = platform.monotonicNs();
      const namespace: ModuleNamespace = await platform.evaluateApp(this.name, code, this.#deps.api(timers).globals);
      const entry = namespace["default"];
      if (typeof entry !== "object" || entry === null || typeof (entry as { fetch?: unknown }).fetch !== "function") {
        throw new TypeError(`Cannot reload app ${this.name}: the new code's default export has no fetch()`);
      }
      const next = generation(entry as Record<string, unknown>, timers);
      const loaded = platform.monotonicNs();
      const old = this.#current;
      const state = await this.#call(old, "dispose", undefined);
      let handed: unknown;
      try {
        handed = state === undefined ? undefined : structuredClone(state);
      } catch (error) {
        await this.#call(old, "start", state).catch(() => {});
        throw new TypeError(`Cannot reload app ${this.name}: dispose() returned state that is not plain data (${String(error)})`);
      }
      try {
        await this.#call(next, "start", handed);
      } catch (error) {
        await this.#call(old, "start", state).catch(() => {}); // the old code keeps serving with its state
        throw error;
      }
      this.#current = next;
      this.#retire(old);
      return { loadMs: (loaded - started) / 1e6, swapMs: (platform.monotonicNs() - loaded) / 1e6 };
    } catch (error) {
      timers.dispose();
      throw error;
    } finally {
      this.#reloading = false;
    }
  }

  /** Calls generation's optional `method(arg)` under the budget; its (awaited) result. */
  async #call(target: Generation, method: "dispose" | "start", arg: unknown): Promise<unknown> {
    const fn = target.entry[method];
    if (fn === undefined) return undefined;
    if (typeof fn !== "function") throw new TypeError(`Cannot reload app ${this.name}: its ${method} is not a function`);
    return await this.#deps.watchdog.run(`${method}()`, () => (fn as (arg: unknown) => unknown).call(target.entry, arg));
  }

  #done(generation: Generation): void {
    generation.inflight--;
    if (generation.retired && generation.inflight === 0) generation.timers.dispose();
  }

  #retire(generation: Generation): void {
    generation.retired = true;
    if (generation.inflight === 0) generation.timers.dispose();
    else this.#deps.scheduler.kernelTimeout(() => generation.timers.dispose(), RETIRE_GRACE_MS);
  }
}

function generation(entry: Record<string, unknown>, timers: TimerGroup): Generation {
  return { entry, fetch: (entry.fetch as FetchHandler).bind(entry), timers, inflight: 0, retired: false };
}

function pathOf(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return request.url;
  }
}
