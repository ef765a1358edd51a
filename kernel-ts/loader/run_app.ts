/**
 * run_app: loads one app, calls its `default.main(env, scope)` as a task, runs the event
 * loop until it is empty, and returns the exit status the machine should power off with.
 *
 * An app whose default export has fetch() and no main() is an HTTP app (http_app.ts): its
 * main is serving fetch on skiff:net, and it runs until the machine stops.
 *
 * The app contract for non-server apps:
 *   export default { main(env, scope) { …; return 0; } }
 *   - env:   a plain object of the command line's env.X=Y tokens ({ X: "Y" });
 *   - scope: the kernel's console and timers (AppScope). On QuickJS they are also the
 *            globals; on Node-based platforms only the scope reaches the kernel's.
 *   - `this` is the default export. main may be async.
 *   - status: main's numeric result, truncated and clamped to 0–99; 0 for undefined or
 *     any non-number. A rejected or throwing main → ExitCode.AppFailed.
 *
 * Like Node, the loop (and so the app) keeps running after main settles while timers are
 * armed; a main that rejects stops the loop at once. A main still pending when the loop
 * runs empty can never settle, and counts as a failure.
 *
 * The watchdog (sched/watchdog.ts) stops app code whose synchronous run passes the app's
 * budget (manifest cpuBudgetMs, default 100 ms; app_settings.ts). Covered: loading the app
 * (its module's top-level code, under a budget of at least 1 s: reading bytecode counts
 * too), main()'s first slice (up to its first await), each fetch() call's first slice
 * (http_app.ts), and every callback of the app's setTimeout, setInterval and
 * queueMicrotask (the scheduler). Not covered: continuations after an await (promise jobs,
 * which the engine runs without telling whose they are — per-app contexts would tell), and
 * code an app hands the kernel to call later (a ReadableStream's pull, a waitUntil promise).
 * A stopped main() is an app failure: "skiff: app NAME failed: main() ran past its 100 ms budget".
 *
 * Restart (manifest "restart": "on-failure"): an app that fails — load error, main throws,
 * rejects, runs past its budget or never settles — is loaded afresh and started again, up to
 * MAX_RESTARTS times, after RESTART_PAUSE_MS doubled at each restart. What the failed run left
 * armed (timers, listeners, sockets) is not reclaimed: apps share one context today.
 */

import type { KernelConsole } from "../console/mod.ts";
import type { BootTimeline } from "../boot_timeline.ts";
import type { AppScope } from "../globals.ts";
import { ExitCode, NotFound, type ModuleNamespace, type Platform } from "../hal/platform.ts";
import { reportAppFailure } from "../report.ts";
import type { Scheduler } from "../sched/mod.ts";
import type { FetchHandler } from "../http/connection.ts";
import type { Network } from "../net/boot.ts";
import { formatIpv4 } from "../net/wire/ipv4_address.ts";
import { Watchdog } from "../sched/mod.ts";
import { DEFAULT_CPU_BUDGET_MS } from "../image/mod.ts";
import { startHttpApp } from "./http_app.ts";
import type { AppSettings } from "./app_settings.ts";

export interface AppRun {
  readonly platform: Platform;
  readonly console: KernelConsole;
  readonly scheduler: Scheduler;
  readonly scope: AppScope;
  readonly timeline: BootTimeline;
  /** The network, when the machine has one (HTTP apps need it). */
  readonly network?: Network | undefined;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const MAX_APP_STATUS = 99;
export const MAX_RESTARTS = 5;
export const RESTART_PAUSE_MS = 100;
const MIN_LOAD_BUDGET_MS = 1000;

/** The default settings: what a linked app without a cmdline override runs with. */
const DEFAULT_SETTINGS: AppSettings = { cpuBudgetMs: DEFAULT_CPU_BUDGET_MS, restart: "never" };

/** One run's end: the status to power off with, and whether it was a failure (restart applies). */
interface RunEnd { readonly status: number; readonly failed: boolean }

export async function runApp(run: AppRun, name: string, env: Record<string, string>, settings: AppSettings = DEFAULT_SETTINGS): Promise<number> {
  const { console, scheduler } = run;
  const watchdog = new Watchdog(run.platform, settings.cpuBudgetMs);
  scheduler.setWatchdog(watchdog);
  for (let restarts = 0; ; restarts++) {
    const end = await runOnce(run, name, env, watchdog, restarts === 0);
    if (!end.failed || settings.restart !== "on-failure") return end.status;
    if (restarts === MAX_RESTARTS) {
      console.log(`skiff: app ${name} failed ${restarts + 1} times; not restarting it again`);
      return end.status;
    }
    const pauseMs = RESTART_PAUSE_MS * 2 ** restarts;
    console.log(`skiff: app ${name} restarting in ${pauseMs} ms (restart ${restarts + 1} of ${MAX_RESTARTS}, restart: on-failure)`);
    scheduler.kernelTimeout(() => scheduler.stop(), pauseMs);
    await scheduler.run();
  }
}

async function runOnce(run: AppRun, name: string, env: Record<string, string>, watchdog: Watchdog, first: boolean): Promise<RunEnd> {
  const { platform, console, scheduler, scope, timeline } = run;
  const failed: RunEnd = { status: ExitCode.AppFailed, failed: true };

  let namespace: ModuleNamespace | NotFound;
  try {
    const loadWatchdog = new Watchdog(platform, Math.max(watchdog.budgetMs, MIN_LOAD_BUDGET_MS));
    namespace = await loadWatchdog.run(`loading app ${name}`, () => platform.loadApp(name));
  } catch (error) {
    reportAppFailure(console, name, error);
    return failed;
  }
  if (namespace === NotFound) {
    console.log(`skiff: app ${name} not found`);
    return { status: ExitCode.AppFailed, failed: false }; // nothing to restart
  }
  const entry = namespace["default"];
  let main: unknown = typeof entry === "object" && entry !== null ? (entry as { main?: unknown }).main : undefined;
  const fetch: unknown = typeof entry === "object" && entry !== null ? (entry as { fetch?: unknown }).fetch : undefined;
  if (typeof main !== "function" && typeof fetch === "function") main = () => serveFetch(run, name, env, budgeted(watchdog, (fetch as FetchHandler).bind(entry)));
  if (typeof main !== "function") {
    reportAppFailure(console, name, new TypeError(`Cannot start app ${name}: its default export has neither main() nor fetch()`));
    return failed;
  }

  if (first) {
    timeline.mark("app-start");
    console.log(timeline.line());
  }

  let outcome: Outcome | undefined;
  const start = main as (...args: unknown[]) => unknown;
  const body = typeof (entry as { main?: unknown }).main === "function" ? () => watchdog.run("main()", () => start.call(entry, env, scope)) : () => start.call(entry, env, scope);
  const task = scheduler.spawn(`app:${name}`, body);
  task.result.then(
    (value) => { outcome = { ok: true, value }; },
    (error: unknown) => { outcome = { ok: false, error }; scheduler.stop(); },
  );
  await scheduler.run();

  if (outcome === undefined) {
    reportAppFailure(console, name, new Error("main() never settled: the event loop ran empty while it was pending"));
    return failed;
  }
  if (!outcome.ok) {
    reportAppFailure(console, name, outcome.error);
    return failed;
  }
  const status = exitStatus(outcome.value);
  console.log(`skiff: app ${name} exited with status ${status}`);
  return { status, failed: false };
}

/** `handler` with each call's first slice under the watchdog: "fetch(GET /x) ran past its 100 ms budget". */
function budgeted(watchdog: Watchdog, handler: FetchHandler): FetchHandler {
  return (request, env, context) => watchdog.run(`fetch(${request.method} ${pathOf(request)})`, () => handler(request, env, context));
}

function pathOf(request: Request): string {
  try {
    return new URL(request.url).pathname;
  } catch {
    return request.url;
  }
}

/** An HTTP app's main: serve `handler` until the machine stops (the listener keeps the loop alive). */
async function serveFetch(run: AppRun, name: string, env: Record<string, string>, handler: FetchHandler): Promise<void> {
  const network = run.network;
  if (network === undefined) throw new Error(`Cannot serve app ${name} over HTTP: the machine has no network (attach one: --net user:8080:8080, tap:IFNAME or dgram:…)`);
  const { scheduler, platform } = run;
  await startHttpApp(handler, {
    name, env, console: run.console,
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
