/**
 * live_app: a running fetch app whose code can be replaced while it serves (hot reload;
 * the development channel, kernel-ts/reload, calls reload()).
 *
 * The HTTP server holds one handler for the app's whole life, LiveFetchApp.handler, which
 * calls the current generation's fetch. The app's state between reloads is data
 * (LiveAppState); the reload itself is reload_app.ts's, taken from the loader's code slot
 * (code_slot.ts) at each reload, so it is reloadable too. A reload:
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
import type { Platform } from "../hal/platform.ts";
import type { FetchHandler, WebClasses } from "../http/connection.ts";
import type { Scheduler, TimerGroup, Watchdog } from "../sched/mod.ts";
import { loaderCode } from "./code_slot.ts";
import { generation, type Generation } from "./reload_app.ts";

/** What the development service sees of a running app. */
export interface LiveApp {
  readonly name: string;
  /**
   * Replaces the app's code (see above); rejects with why it could not. Without code, the
   * code it runs is evaluated again with the app API's current globals (reload_api.ts).
   */
  reload(code: Uint8Array | undefined): Promise<ReloadTimes>;
}

export interface ReloadTimes {
  /** Evaluating the new code. */
  readonly loadMs: number;
  /** dispose, start and the swap. */
  readonly swapMs: number;
}

/** The running apps that can be reloaded, by name. */
export type LiveApps = Map<string, LiveApp>;

/** A live app between two reloads, as data: what the resident handler and each reload share. */
export interface LiveAppState {
  readonly name: string;
  current: Generation;
  reloading: boolean;
}

export interface LiveFetchAppDeps {
  readonly name: string;
  readonly platform: Pick<Platform, "evaluateApp" | "loadApp" | "monotonicNs">;
  readonly scheduler: Scheduler;
  readonly watchdog: Watchdog;
  /** The app's scope and globals over a timer group: what each generation's context gets. */
  readonly api: (timers: TimerGroup) => { readonly scope: AppScope; readonly globals: AppGlobals };
}

export class LiveFetchApp implements LiveApp {
  readonly name: string;
  readonly #deps: LiveFetchAppDeps;
  readonly #state: LiveAppState;

  /**
   * `entry` is the default export of the code loaded first (from the boot image), with
   * `timers` its timer group and `globals` the app API it was loaded with.
   */
  constructor(deps: LiveFetchAppDeps, entry: Record<string, unknown>, timers: TimerGroup, globals: AppGlobals) {
    this.name = deps.name;
    this.#deps = deps;
    this.#state = { name: deps.name, current: generation(entry, timers, undefined, globals), reloading: false };
  }

  /** The app API's classes of the generation that takes the next request (the HTTP server's Requests and Responses). */
  readonly web = (): WebClasses => this.#state.current.web;

  /** The handler the HTTP server calls: the current generation's fetch, each call's first slice under the budget. */
  readonly handler: FetchHandler = (request, env, context) => {
    const current = this.#state.current;
    current.inflight++;
    let result: unknown;
    try {
      result = this.#deps.watchdog.run("fetch", () => current.fetch(request, env, context), () => `${request.method} ${pathOf(request)}`);
    } catch (error) {
      done(current);
      throw error;
    }
    return Promise.resolve(result).finally(() => done(current)) as ReturnType<FetchHandler>;
  };

  reload(code: Uint8Array | undefined): Promise<ReloadTimes> {
    return loaderCode.current.reloadFetchApp(this.#state, this.#deps, code);
  }
}

/** A request of `generation` ended: once it is retired and idle, its timers go. */
function done(generation: Generation): void {
  generation.inflight--;
  if (generation.retired && generation.inflight === 0) generation.timers.dispose();
}

function pathOf(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return request.url;
  }
}
