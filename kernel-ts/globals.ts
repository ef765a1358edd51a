/**
 * globals: the kernel globals an app sees (console and the timers), gathered in one
 * AppScope, and their installation on globalThis, with the web-standard globals
 * (kernel-ts/web: URL, TextEncoder, Request, Response, streams, crypto, …). The scope also
 * carries the device registry (`scope.devices`), which is not a global: apps reach devices
 * through it until skiff:net and skiff:fs wrap them.
 *
 * Where they go depends on the engine the kernel runs in:
 *   - QuickJS ("native", "hosted-quickjs"): the engine has no console or timers of its own
 *     that the kernel could honour, so every AppScope member is installed on globalThis,
 *     replacing whatever was there.
 *   - Node ("hosted-node", "fake"): Node's own globals are left alone (ava, tsx and Node
 *     itself use them); only members that are missing are installed. Apps reach the
 *     kernel's console and timers through the AppScope passed as main's second argument
 *     (see loader/app_life.ts). An app that uses Node's global setTimeout there runs
 *     outside the kernel's loop, which may end (and power off) before such a timer fires.
 *
 * The web globals are installed where missing on every platform (all of them on QuickJS,
 * which has none), over the platform's random source, its monotonic clock and the
 * scope's timers (so AbortSignal.timeout runs on the kernel's loop).
 */

import type { KernelConsole } from "./console/mod.ts";
import type { Devices } from "./dev/mod.ts";
import type { Platform } from "./hal/platform.ts";
import type { AppManifest } from "./image/mod.ts";
import type { Scheduler } from "./sched/mod.ts";
import { installWebGlobals, type WebGlobalsDeps } from "./web/mod.ts";

export interface AppScope {
  readonly console: KernelConsole;
  readonly setTimeout: Scheduler["setTimeout"];
  readonly setInterval: Scheduler["setInterval"];
  readonly clearTimeout: Scheduler["clearTimeout"];
  readonly clearInterval: Scheduler["clearInterval"];
  readonly queueMicrotask: Scheduler["queueMicrotask"];
  /** The device drivers (not installed as a global). */
  readonly devices: Devices;
  /** The app's manifest as built, when it came from its image (a linked app has none). Not a global. */
  readonly manifest?: AppManifest | undefined;
}

/** AppScope members that installGlobals leaves off globalThis. */
const NOT_GLOBAL: ReadonlySet<string> = new Set(["devices", "manifest"]);

export function createAppScope(scheduler: Scheduler, console: KernelConsole, devices: Devices): AppScope {
  return {
    console,
    devices,
    setTimeout: (callback, delayMs, ...args) => scheduler.setTimeout(callback, delayMs, ...args),
    setInterval: (callback, delayMs, ...args) => scheduler.setInterval(callback, delayMs, ...args),
    clearTimeout: (id) => scheduler.clearTimeout(id),
    clearInterval: (id) => scheduler.clearInterval(id),
    queueMicrotask: (callback) => scheduler.queueMicrotask(callback),
  };
}

/**
 * The app API's globals by name: what each app context's global object gets beside the
 * standard ones (Platform.loadApp), and what installGlobals put on the kernel's.
 */
export type AppGlobals = Readonly<Record<string, unknown>>;

/** The scope's members that are globals (console, the timers), by name. */
export function scopeGlobals(scope: AppScope): AppGlobals {
  const globals: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(scope)) if (!NOT_GLOBAL.has(name)) globals[name] = value;
  return globals;
}

/** What the web globals are made over: the platform's random source and clock, the scope's timers. */
export function webGlobalsDeps(scope: AppScope, platform: Pick<Platform, "randomFill" | "monotonicNs">): WebGlobalsDeps {
  return {
    randomFill: (bytes) => platform.randomFill(bytes),
    nowMs: () => platform.monotonicNs() / 1e6,
    setTimeout: scope.setTimeout,
    clearTimeout: scope.clearTimeout,
  };
}

/**
 * Installs the scope's members and the web globals on globalThis as described above, and
 * returns every one of them by name (installed or not: on Node, the kernel's own where Node
 * has one) for the app contexts.
 */
export function installGlobals(scope: AppScope, platform: Pick<Platform, "name" | "randomFill" | "monotonicNs">): AppGlobals {
  const replace = platform.name === "native" || platform.name === "hosted-quickjs";
  const global = globalThis as unknown as Record<string, unknown>;
  const globals: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(scopeGlobals(scope))) {
    globals[name] = value;
    if (!replace && global[name] !== undefined) continue;
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
  const web = installWebGlobals(globalThis, webGlobalsDeps(scope, platform));
  for (const name of web) globals[name] = global[name];
  return globals;
}
