/**
 * reload_app: the reload of a running fetch app (live_app.ts says what a reload does and
 * promises). It acts on the app's state as data (LiveAppState) and reaches the kernel only
 * through the deps it is given — no kernel singleton is imported — so it can be built on its
 * own and installed in the loader's code slot (code_slot.ts, module.ts) by a reload of the
 * loader: the next app reload then runs the new procedure.
 */

import type { AppGlobals } from "../globals.ts";
import { NotFound, type ModuleNamespace } from "../hal/platform.ts";
import type { FetchHandler, WebClasses } from "../http/connection.ts";
import type { TimerGroup } from "../sched/mod.ts";
import type { LiveAppState, LiveFetchAppDeps, ReloadTimes } from "./live_app.ts";

/** How long an old generation's timers may outlive the swap while its requests finish. */
export const RETIRE_GRACE_MS = 30_000;

/**
 * One version of an app's code: its default export, its timers, its requests in flight, the
 * code it was evaluated from (undefined: the boot image's) and the app API's classes it was
 * loaded with (the HTTP server makes its Requests with them).
 */
export interface Generation {
  readonly entry: Record<string, unknown>;
  readonly fetch: FetchHandler;
  readonly timers: TimerGroup;
  readonly code: Uint8Array | undefined;
  readonly web: WebClasses;
  inflight: number;
  retired: boolean;
}

export function generation(entry: Record<string, unknown>, timers: TimerGroup, code: Uint8Array | undefined, globals: AppGlobals): Generation {
  return { entry, fetch: (entry.fetch as FetchHandler).bind(entry), timers, code, web: webClasses(globals), inflight: 0, retired: false };
}

/** The classes of `globals` the HTTP server needs (on Node, where apps get Node's own, those of globalThis). */
export function webClasses(globals: AppGlobals): WebClasses {
  const pick = <T>(name: string): T => (globals[name] ?? (globalThis as Record<string, unknown>)[name]) as T;
  return { Request: pick("Request"), Response: pick("Response"), ReadableStream: pick("ReadableStream") };
}

/**
 * Replaces the app's code with `code`, or — undefined — evaluates the code it runs again, in a
 * context with the app API's current globals (a reload of the app API, reload_api.ts).
 */
export async function reloadFetchApp(app: LiveAppState, deps: LiveFetchAppDeps, code: Uint8Array | undefined): Promise<ReloadTimes> {
  if (app.reloading) throw new Error(`Cannot reload app ${app.name}: a reload is already running`);
  app.reloading = true;
  const { platform, scheduler, watchdog } = deps;
  const timers = scheduler.timerGroup(watchdog);
  /** Calls generation's optional `method(arg)` under the budget; its (awaited) result. */
  const call = async (target: Generation, method: "dispose" | "start", arg: unknown): Promise<unknown> => {
    const fn = target.entry[method];
    if (fn === undefined) return undefined;
    if (typeof fn !== "function") throw new TypeError(`Cannot reload app ${app.name}: its ${method} is not a function`);
    return await watchdog.run(`${method}()`, () => (fn as (arg: unknown) => unknown).call(target.entry, arg));
  };
  try {
    const started = platform.monotonicNs();
    const { globals } = deps.api(timers);
    const source = code ?? app.current.code;
    const loaded = source !== undefined ? await platform.evaluateApp(app.name, source, globals) : await platform.loadApp(app.name, globals);
    if (loaded === NotFound) throw new Error(`Cannot reload app ${app.name}: the boot image no longer has it`);
    const namespace: ModuleNamespace = loaded;
    const entry = namespace["default"];
    if (typeof entry !== "object" || entry === null || typeof (entry as { fetch?: unknown }).fetch !== "function") {
      throw new TypeError(`Cannot reload app ${app.name}: the new code's default export has no fetch()`);
    }
    const next = generation(entry as Record<string, unknown>, timers, source, globals);
    const evaluated = platform.monotonicNs();
    const old = app.current;
    const state = await call(old, "dispose", undefined);
    let handed: unknown;
    try {
      handed = state === undefined ? undefined : structuredClone(state);
    } catch (error) {
      await call(old, "start", state).catch(() => {});
      throw new TypeError(`Cannot reload app ${app.name}: dispose() returned state that is not plain data (${String(error)})`);
    }
    try {
      await call(next, "start", handed);
    } catch (error) {
      await call(old, "start", state).catch(() => {}); // the old code keeps serving with its state
      throw error;
    }
    app.current = next;
    old.retired = true;
    if (old.inflight === 0) old.timers.dispose();
    else scheduler.kernelTimeout(() => old.timers.dispose(), RETIRE_GRACE_MS);
    return { loadMs: (evaluated - started) / 1e6, swapMs: (platform.monotonicNs() - evaluated) / 1e6 };
  } catch (error) {
    timers.dispose();
    throw error;
  } finally {
    app.reloading = false;
  }
}
