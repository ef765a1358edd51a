/**
 * app_life: one app's life in the machine — load it into a context of its own, start it,
 * await its end, and restart it when its manifest says so. run_apps.ts runs every app of
 * the boot this way, side by side on the kernel's one event loop.
 *
 * Each run of an app gets afresh (so nothing of a failed run carries into the next):
 *   - a QuickJS context (Platform.loadApp; native: shim/js/app_context.c) whose global object
 *     holds the standard globals and the app API — the kernel's web globals and console, and
 *     the app's own timers;
 *   - a timer group (sched/timer_group.ts): setTimeout & co. for this app only, each callback
 *     under the app's CPU budget; when the run ends in failure, or the app is replaced, the
 *     group is disposed and the app's timers and queued microtasks are dropped;
 *   - the AppScope passed to main as its second argument: the same console and timers (on
 *     Node-based platforms, where apps share the kernel's context, the only way to the app's
 *     own timers), the devices, and the app's manifest when it came from its image.
 *
 * The app contract for non-server apps:
 *   export default { main(env, scope) { …; return 0; } }
 *   - env:   a plain object of the command line's env.X=Y tokens ({ X: "Y" }), then the
 *            app's own NAME.env.X=Y tokens over them;
 *   - status: main's numeric result, truncated and clamped to 0–99; 0 for undefined or
 *     any non-number. A rejected or throwing main → ExitCode.AppFailed.
 *   - `this` is the default export. main may be async.
 * An app whose default export has fetch() and no main() is an HTTP app (http_app.ts): its
 * main is serving fetch on skiff:net, and it runs until the machine stops. Its code can be
 * replaced while it serves (live_app.ts: hot reload).
 *
 * The watchdog (sched/watchdog.ts) stops app code whose synchronous run passes the app's
 * budget (manifest cpuBudgetMs, default 100 ms; app_settings.ts). Covered: loading the app
 * (its module's top-level code, under a budget of at least 1 s: reading bytecode counts
 * too), main()'s first slice (up to its first await), each fetch() call's first slice
 * (http_app.ts), and every callback of the app's setTimeout, setInterval and
 * queueMicrotask. Not covered: continuations after an await (promise jobs, which the engine
 * runs without telling the kernel whose they are), and code an app hands the kernel to call
 * later (a ReadableStream's pull, a waitUntil promise).
 * A stopped main() is an app failure: "skiff: app NAME failed: main() ran past its 100 ms budget".
 *
 * Memory: an app whose manifest gives memoryMb does not start when the heap has less than
 * that free for JS ("… asks for 16 MiB (memoryMb) and 9.3 MiB are free …"); once started,
 * apps share the engine's one limit (memoryShortfall).
 *
 * Failures are reported with the app's stack at its TypeScript positions when its image
 * carries a source map (app_frames.ts).
 *
 * Loading (Platform.loadApp, the module's top-level code and its awaits) has LOAD_LIMIT_MS.
 *
 * Restart (manifest "restart": "on-failure"): an app that fails — load error, main throws,
 * rejects, runs past its budget or never settles — is loaded afresh and started again, up to
 * MAX_RESTARTS times, after RESTART_PAUSE_MS doubled at each restart. Its timers go with the
 * failed run; its listeners and sockets are not reclaimed yet (skiff:net has no owner per app).
 */

import type { KernelConsole } from "../console/mod.ts";
import type { BootTimeline } from "../boot_timeline.ts";
import type { AppGlobals, AppScope } from "../globals.ts";
import type { AppApiState } from "./app_api.ts";
import type { WebClasses } from "../http/connection.ts";
import { ExitCode, NotFound, type ModuleNamespace, type Platform } from "../hal/platform.ts";
import { reportAppFailure, type FrameMapper } from "../report.ts";
import { appFrameMapper } from "./app_frames.ts";
import type { Scheduler, TimerGroup } from "../sched/mod.ts";
import type { FetchHandler } from "../http/connection.ts";
import type { Network } from "../net/boot.ts";
import { formatIpv4 } from "../net/wire/ipv4_address.ts";
import { Watchdog } from "../sched/mod.ts";
import { startHttpApp } from "./http_app.ts";
import { LiveFetchApp, type LiveApps } from "./live_app.ts";
import type { AppSettings } from "./app_settings.ts";
import type { AppManifest } from "../image/mod.ts";

export interface AppRun {
  readonly platform: Platform;
  readonly console: KernelConsole;
  readonly scheduler: Scheduler;
  /** The kernel's scope: console and devices every app shares (timers are each app's own). */
  readonly scope: AppScope;
  /** The app API (web globals, console) each app context gets: the current one, which a reload of the API replaces (app_api.ts). */
  readonly api: AppApiState;
  readonly timeline: BootTimeline;
  /** The network, when the machine has one (HTTP apps need it). */
  readonly network?: Network | undefined;
  /** Where fetch apps register to be reloaded (the development channel's view; live_app.ts). */
  readonly live?: LiveApps;
}

/** One app to run: its name, its env, its settings, and its manifest when it comes from the image. */
export interface AppLaunch {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly settings: AppSettings;
  readonly manifest?: AppManifest | undefined;
}

/** How one app's life ended, and the status it leaves. "missing": no app has that name (not restarted). */
export interface AppEnd { readonly name: string; readonly status: number; readonly outcome: "exited" | "failed" | "missing" }

/**
 * Resolves whenever the event loop ran empty (run_apps.ts fires it): nothing is left that
 * could settle a promise, so an app still loading or in main() never will.
 */
export interface LoopEmpty { wait(): Promise<void> }

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const MAX_APP_STATUS = 99;
export const MAX_RESTARTS = 5;
export const RESTART_PAUSE_MS = 100;
const MIN_LOAD_BUDGET_MS = 1000;
/** Loading an app (its top-level awaits included) fails after this long. */
const LOAD_LIMIT_MS = 60_000;
const LOAD_POLL_MS = 10;
const MIB = 1024 * 1024;

/** Runs app `launch` until it ends for good: its last run's end. `onStart` marks the first main(). */
export async function appLife(run: AppRun, launch: AppLaunch, loopEmpty: LoopEmpty, onStart: () => void): Promise<AppEnd> {
  const { console, scheduler } = run;
  const { name, settings } = launch;
  const watchdog = new Watchdog(run.platform, settings.cpuBudgetMs);
  for (let restarts = 0; ; restarts++) {
    const timers = scheduler.timerGroup(watchdog);
    const end = await runOnce(run, launch, watchdog, timers, loopEmpty, onStart);
    if (end.outcome !== "exited") timers.dispose();
    if (end.outcome !== "failed" || settings.restart !== "on-failure") return end;
    if (restarts === MAX_RESTARTS) {
      console.log(`skiff: app ${name} failed ${restarts + 1} times; not restarting it again`);
      return end;
    }
    const pauseMs = RESTART_PAUSE_MS * 2 ** restarts;
    console.log(`skiff: app ${name} restarting in ${pauseMs} ms (restart ${restarts + 1} of ${MAX_RESTARTS}, restart: on-failure)`);
    await new Promise<void>((resolve) => scheduler.kernelTimeout(resolve, pauseMs));
  }
}

/** The app's own scope and globals: the kernel's, with the app's timers in place of the kernel's. */
function appApi(run: AppRun, launch: AppLaunch, timers: TimerGroup): { scope: AppScope; globals: AppGlobals } {
  const own = {
    setTimeout: timers.setTimeout, setInterval: timers.setInterval,
    clearTimeout: timers.clearTimeout, clearInterval: timers.clearInterval,
    queueMicrotask: timers.queueMicrotask,
  };
  return { scope: { ...run.scope, ...own, manifest: launch.manifest }, globals: { ...run.api.globals, ...own } };
}

/**
 * `loading`'s outcome, or undefined after LOAD_LIMIT_MS. The loop keeps turning meanwhile,
 * every LOAD_POLL_MS: a platform may settle loadApp outside the engine's jobs (hosted-node
 * imports a file), and an app's top-level code may await its own timers.
 */
function whileLoading<T>(scheduler: Scheduler, loading: Promise<T>): Promise<Outcome | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    let poll = 0;
    const turn = (): void => { poll = scheduler.kernelTimeout(turn, LOAD_POLL_MS); };
    turn();
    const limit = scheduler.kernelTimeout(() => finish(undefined), LOAD_LIMIT_MS);
    const finish = (outcome: Outcome | undefined): void => {
      if (settled) return;
      settled = true;
      scheduler.clearTimeout(poll);
      scheduler.clearTimeout(limit);
      resolve(outcome);
    };
    loading.then((value) => finish({ ok: true, value }), (error: unknown) => finish({ ok: false, error }));
  });
}

/** `promise`'s outcome, or undefined once the loop runs empty first. */
function unlessLoopEmpties<T>(promise: Promise<T>, loopEmpty: LoopEmpty): Promise<Outcome | undefined> {
  return Promise.race([
    promise.then((value): Outcome => ({ ok: true, value }), (error: unknown): Outcome => ({ ok: false, error })),
    loopEmpty.wait().then(() => undefined),
  ]);
}

async function runOnce(run: AppRun, launch: AppLaunch, watchdog: Watchdog, timers: TimerGroup, loopEmpty: LoopEmpty, onStart: () => void): Promise<AppEnd> {
  const { platform, console, scheduler } = run;
  const { name, env } = launch;
  const failed: AppEnd = { name, status: ExitCode.AppFailed, outcome: "failed" };
  const { scope, globals } = appApi(run, launch, timers);
  const mapFrames = appFrameMapper(platform, name);

  const short = memoryShortfall(platform, launch.manifest);
  if (short !== undefined) {
    reportAppFailure(console, name, new RangeError(`Cannot start app ${name}: its manifest asks for ${short.wantMb} MiB (memoryMb) and ${short.freeMb} MiB are free: give the machine more memory (skiff run --mem ${short.suggestMb}M)`));
    return { name, status: ExitCode.AppFailed, outcome: "missing" }; // a restart would not find more
  }
  const loadWatchdog = new Watchdog(platform, Math.max(watchdog.budgetMs, MIN_LOAD_BUDGET_MS));
  const loading = new Promise<ModuleNamespace | NotFound>((resolve) => resolve(loadWatchdog.run(`loading app ${name}`, () => platform.loadApp(name, globals))));
  const loaded = await whileLoading(scheduler, loading);
  if (loaded === undefined || !loaded.ok) {
    reportAppFailure(console, name, loaded === undefined ? new Error(`loading did not finish within ${LOAD_LIMIT_MS / 1000} s (a top-level await that never settles?)`) : loaded.error, mapFrames);
    return failed;
  }
  const namespace = loaded.value as ModuleNamespace | NotFound;
  if (namespace === NotFound) {
    console.log(`skiff: app ${name} not found`);
    return { name, status: ExitCode.AppFailed, outcome: "missing" };
  }
  const entry = namespace["default"];
  let main: unknown = typeof entry === "object" && entry !== null ? (entry as { main?: unknown }).main : undefined;
  const fetch: unknown = typeof entry === "object" && entry !== null ? (entry as { fetch?: unknown }).fetch : undefined;
  if (typeof main !== "function" && typeof fetch === "function") {
    const live = new LiveFetchApp({ name, platform, scheduler, watchdog, api: (group) => appApi(run, launch, group) }, entry as Record<string, unknown>, timers, globals);
    run.live?.set(name, live);
    main = () => serveFetch(run, name, env, mapFrames, live.handler, live.web);
  }
  if (typeof main !== "function") {
    reportAppFailure(console, name, new TypeError(`Cannot start app ${name}: its default export has neither main() nor fetch()`));
    return failed;
  }

  onStart();
  const start = main as (...args: unknown[]) => unknown;
  const body = typeof (entry as { main?: unknown }).main === "function" ? () => watchdog.run("main()", () => start.call(entry, env, scope)) : () => start.call(entry, env, scope);
  const outcome = await unlessLoopEmpties(scheduler.spawn(`app:${name}`, body).result, loopEmpty);

  if (outcome === undefined) {
    reportAppFailure(console, name, new Error("main() never settled: the event loop ran empty while it was pending"));
    return failed;
  }
  if (!outcome.ok) {
    reportAppFailure(console, name, outcome.error, mapFrames);
    return failed;
  }
  return { name, status: exitStatus(outcome.value), outcome: "exited" }; // printed when the loop ends (run_apps.ts)
}

/**
 * The manifest's memoryMb against what the heap has free for JS now (the engine's limit, or
 * the heap, less what is in use): undefined when it fits or no memoryMb is given. Apps share
 * one QuickJS runtime, which accounts memory per runtime, not per context: this is checked
 * once, before the app loads, and not enforced as a cap afterwards.
 */
function memoryShortfall(platform: Pick<Platform, "memoryStats">, manifest: AppManifest | undefined): { wantMb: number; freeMb: string; suggestMb: number } | undefined {
  if (manifest?.memoryMb === undefined) return undefined;
  const stats = platform.memoryStats();
  const room = stats.jsLimit > 0 ? Math.min(stats.jsLimit, stats.heapTotal) : stats.heapTotal;
  const free = room - stats.heapUsed;
  const want = manifest.memoryMb * MIB;
  if (free >= want) return undefined;
  const suggest = 2 ** Math.ceil(Math.log2((stats.heapTotal + want - free) / MIB * 1.25));
  return { wantMb: manifest.memoryMb, freeMb: (Math.max(0, free) / MIB).toFixed(1), suggestMb: suggest };
}

/** An HTTP app's main: serve `handler` until the machine stops (the listener keeps the loop alive). */
async function serveFetch(run: AppRun, name: string, env: Record<string, string>, mapFrames: FrameMapper, handler: FetchHandler, web: () => WebClasses): Promise<void> {
  const network = run.network;
  if (network === undefined) throw new Error(`Cannot serve app ${name} over HTTP: the machine has no network (attach one: --net user:8080:8080, tap:IFNAME or dgram:…)`);
  const { scheduler, platform } = run;
  await startHttpApp(handler, {
    name, env, console: run.console, mapFrames, web,
    timers: { setTimeout: (callback, ms) => scheduler.setTimeout(callback, ms), clearTimeout: (id) => scheduler.clearTimeout(id as number), nowMs: () => platform.monotonicNs() / 1e6 },
    wallClockMs: () => platform.wallClockMs(),
    listen: (options) => network.api.listen(options),
    address: async () => {
      await network.stack.configured();
      const address = network.stack.address?.address;
      return address === undefined ? "0.0.0.0" : formatIpv4(address);
    },
  });
}

function exitStatus(value: unknown): number {
  if (typeof value !== "number" || Number.isNaN(value)) return ExitCode.Success;
  return Math.min(MAX_APP_STATUS, Math.max(0, Math.trunc(value)));
}
