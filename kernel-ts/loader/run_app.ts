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
import { startHttpApp } from "./http_app.ts";

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

export async function runApp(run: AppRun, name: string, env: Record<string, string>): Promise<number> {
  const { platform, console, scheduler, scope, timeline } = run;

  let namespace: ModuleNamespace | NotFound;
  try {
    namespace = await platform.loadApp(name);
  } catch (error) {
    reportAppFailure(console, name, error);
    return ExitCode.AppFailed;
  }
  if (namespace === NotFound) {
    console.log(`skiff: app ${name} not found`);
    return ExitCode.AppFailed;
  }
  const entry = namespace["default"];
  let main: unknown = typeof entry === "object" && entry !== null ? (entry as { main?: unknown }).main : undefined;
  const fetch: unknown = typeof entry === "object" && entry !== null ? (entry as { fetch?: unknown }).fetch : undefined;
  if (typeof main !== "function" && typeof fetch === "function") main = () => serveFetch(run, name, env, (fetch as FetchHandler).bind(entry));
  if (typeof main !== "function") {
    reportAppFailure(console, name, new TypeError(`Cannot start app ${name}: its default export has neither main() nor fetch()`));
    return ExitCode.AppFailed;
  }

  timeline.mark("app-start");
  console.log(timeline.line());

  let outcome: Outcome | undefined;
  const task = scheduler.spawn(`app:${name}`, () => (main as (...args: unknown[]) => unknown).call(entry, env, scope));
  task.result.then(
    (value) => { outcome = { ok: true, value }; },
    (error: unknown) => { outcome = { ok: false, error }; scheduler.stop(); },
  );
  await scheduler.run();

  if (outcome === undefined) {
    reportAppFailure(console, name, new Error("main() never settled: the event loop ran empty while it was pending"));
    return ExitCode.AppFailed;
  }
  if (!outcome.ok) {
    reportAppFailure(console, name, outcome.error);
    return ExitCode.AppFailed;
  }
  const status = exitStatus(outcome.value);
  console.log(`skiff: app ${name} exited with status ${status}`);
  return status;
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
