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
 * This file is resident: the restart loop. Each run — load, main or serving fetch — is
 * app_run.ts's, taken from the loader's code slot (code_slot.ts) at every start and restart,
 * so a reload of the loader module changes how the next run goes. What a run needs of the
 * resident kernel (the live apps' handlers, the HTTP driver) it is handed (ResidentLoader).
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
import type { AppScope } from "../globals.ts";
import type { AppApiState } from "./app_api.ts";
import type { Platform } from "../hal/platform.ts";
import type { Scheduler } from "../sched/mod.ts";
import type { Network } from "../net/boot.ts";
import { Watchdog } from "../sched/mod.ts";
import { startHttpApp } from "./http_app.ts";
import { LiveFetchApp, type LiveApps } from "./live_app.ts";
import type { AppSettings } from "./app_settings.ts";
import type { AppManifest } from "../image/mod.ts";
import { loaderCode } from "./code_slot.ts";
import type { ResidentLoader } from "./app_run.ts";

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

export const MAX_RESTARTS = 5;
export const RESTART_PAUSE_MS = 100;

/** The resident parts a run builds on: a copy of them inside a reloaded loader would read copies of their code slots. */
const resident: ResidentLoader = {
  liveApp: (deps, entry, timers, globals) => new LiveFetchApp(deps, entry, timers, globals),
  startHttpApp,
};

/** Runs app `launch` until it ends for good: its last run's end. `onStart` marks the first main(). */
export async function appLife(run: AppRun, launch: AppLaunch, loopEmpty: LoopEmpty, onStart: () => void): Promise<AppEnd> {
  const { console, scheduler } = run;
  const { name, settings } = launch;
  const watchdog = new Watchdog(run.platform, settings.cpuBudgetMs);
  for (let restarts = 0; ; restarts++) {
    const timers = scheduler.timerGroup(watchdog);
    const end = await loaderCode.current.runOnce(run, launch, watchdog, timers, loopEmpty, onStart, resident);
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

