/**
 * app_run: one run of an app (app_life.ts says what a run does and promises): load it into a
 * context of its own with the app API's current globals, then call its main() — or, for a
 * fetch app, serve fetch over HTTP as a live app that hot reload can replace — and say how
 * the run ended. Part of the loader module (code_slot.ts): the kernel-resident things a run
 * builds on, whose copies in a reloaded bundle would read copies of their code slots (the
 * live apps' handlers, the HTTP driver), are handed in (ResidentLoader).
 */

import type { AppGlobals, AppScope } from "../globals.ts";
import { ExitCode, NotFound, type ModuleNamespace, type Platform } from "../hal/platform.ts";
import type { FetchHandler, WebClasses } from "../http/connection.ts";
import type { HttpServer } from "../http/server.ts";
import type { AppManifest } from "../image/mod.ts";
import { formatIpv4 } from "../net/wire/ipv4_address.ts";
import { reportAppFailure, type FrameMapper } from "../report.ts";
import { Watchdog, type Scheduler, type TimerGroup } from "../sched/mod.ts";
import type { AppEnd, AppLaunch, AppRun, LoopEmpty } from "./app_life.ts";
import { appFrameMapper } from "./app_frames.ts";
import type { HttpAppContext } from "./http_app.ts";
import type { LiveApp, LiveFetchAppDeps } from "./live_app.ts";

/** What a run is handed of the resident loader (app_life.ts). */
export interface ResidentLoader {
  /** A live fetch app (live_app.ts) over the code loaded first. */
  liveApp(deps: LiveFetchAppDeps, entry: Record<string, unknown>, timers: TimerGroup, globals: AppGlobals): LiveApp & { readonly handler: FetchHandler; readonly web: () => WebClasses };
  /** Serves a handler over HTTP on the kernel's driver (http_app.ts). */
  startHttpApp(handler: FetchHandler, context: HttpAppContext): Promise<HttpServer>;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const MAX_APP_STATUS = 99;
const MIN_LOAD_BUDGET_MS = 1000;
/** Loading an app (its top-level awaits included) fails after this long. */
const LOAD_LIMIT_MS = 60_000;
const LOAD_POLL_MS = 10;
const MIB = 1024 * 1024;

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

/** One run of app `launch`: its end ("exited" with main's status, "failed", or "missing"). */
export async function runOnce(run: AppRun, launch: AppLaunch, watchdog: Watchdog, timers: TimerGroup, loopEmpty: LoopEmpty, onStart: () => void, resident: ResidentLoader): Promise<AppEnd> {
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
    const live = resident.liveApp({ name, platform, scheduler, watchdog, api: (group) => appApi(run, launch, group) }, entry as Record<string, unknown>, timers, globals);
    run.live?.set(name, live);
    main = () => serveFetch(run, resident, name, env, mapFrames, live.handler, live.web);
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
async function serveFetch(run: AppRun, resident: ResidentLoader, name: string, env: Record<string, string>, mapFrames: FrameMapper, handler: FetchHandler, web: () => WebClasses): Promise<void> {
  const network = run.network;
  if (network === undefined) throw new Error(`Cannot serve app ${name} over HTTP: the machine has no network (attach one: --net user:8080:8080, tap:IFNAME or dgram:…)`);
  const { scheduler, platform } = run;
  await resident.startHttpApp(handler, {
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
