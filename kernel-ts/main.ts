/**
 * main: the kernel's boot script, from "the engine runs our bytecode" to "power off".
 *
 * boot() is the sequence itself; start() wraps it with the panic handler and is what
 * entry.ts (QuickJS) and the hosted runners call. Everything boot() runs is kernel code:
 * an exception escaping it is a kernel panic. App failures never escape: runApps turns them
 * into "skiff: app NAME failed" and ExitCode.AppFailed.
 *
 * Lines printed (host tools and the benchmark parse them; see loader/app_life.ts):
 *   skiff: boot timeline pvh-entry=0.000ms … kernel-ready=4.100ms app-start=4.300ms
 *   skiff: app NAME exited with status N | skiff: app NAME not found | skiff: app NAME failed: …
 *   skiff: net stats {JSON}            (with the flag netstats: net/boot.ts)
 *   skiff: KERNEL PANIC: <message>     (panic.ts)
 *   hal-conformance: …                 (selftest=hal, selftest/hal.ts)
 */

import { useAsciiCodec } from "./ascii.ts";
import { assert } from "./assert.ts";
import { BootTimeline } from "./boot_timeline.ts";
import { parseCmdline } from "./cmdline.ts";
import { createConsole } from "./console/mod.ts";
import { Devices } from "./dev/mod.ts";
import { createAppScope, installGlobals, scopeGlobals, webGlobalsDeps } from "./globals.ts";
import type { Platform } from "./hal/platform.ts";
import { appSettings, bootImageMetadata, imageManifest, runApps } from "./loader/mod.ts";
import { panic } from "./panic.ts";
import { powerOff, PoweringOff } from "./power.ts";
import { consoleReporter } from "./report.ts";
import { Scheduler } from "./sched/mod.ts";
import { startNetwork } from "./net/boot.ts";
import { startFiles } from "./fs/boot.ts";
import { runHalSelftest, runKernelThrowSelftest } from "./selftest/mod.ts";
import type { LiveApps } from "./loader/live_app.ts";
import type { AppApiState } from "./loader/app_api.ts";
import { loaderCode } from "./loader/code_slot.ts";
import { startDevService } from "./reload/service.ts";
import { startProfile } from "./profile.ts";

/** Boots the kernel on `platform` and powers off; never returns normally. */
export async function boot(platform: Platform): Promise<never> {
  const originNs = platform.monotonicNs();                                  // the kernel's first clock reading
  useAsciiCodec(platform);                                                  // the text codecs' native fast path
  const console = createConsole((bytes) => platform.consoleWrite(bytes));   // console over the HAL
  const scheduler = new Scheduler(platform, consoleReporter(console));      // timers, tasks; reports unhandled rejections
  const devices = new Devices(platform, scheduler);                        // drivers for the platform's devices, on the loop
  const network = startNetwork({ platform, loop: scheduler, device: devices.net, timers: scheduler,  // TCP/IP on the first NIC; skiff:net for apps
    log: (line) => console.log(line) });
  startFiles({ platform });                                                 // the VFS (/tmp, /dev, /app); skiff:fs for apps
  const scope = createAppScope(scheduler, console, devices);                // console + timers (+ devices, for now) for apps
  const globals = installGlobals(scope, platform);                          // … as globals too (all of them on QuickJS), with the web globals
  const timeline = new BootTimeline(platform, originNs);                    // platform stages + ours
  timeline.mark("kernel-ready");

  const cmdline = parseCmdline(platform.cmdline());                         // app=, selftest=, env.X=
  if (cmdline.unknownSelftest !== "") console.log(`skiff: unknown selftest=${cmdline.unknownSelftest} ignored`);
  startProfile({ platform, values: cmdline.values, log: (line) => console.log(line), // profile=SECONDS: sample JS stacks
    after: (callback, delayMs) => scheduler.kernelTimeout(callback, delayMs) });

  switch (cmdline.selftest) {
    case "hal":                                                             // HAL conformance instead of an app
      return powerOff(platform, await runHalSelftest(platform, console));
    case "kernel-throw":                                                    // panics from a kernel timer
      await runKernelThrowSelftest(scheduler);
      assert(false, "selftest kernel-throw: the kernel timer did not throw");
      break;
    case undefined:
      break;
  }

  const live: LiveApps = new Map();                                         // fetch apps that can be reloaded
  const api: AppApiState = { globals, base: scopeGlobals(scope), generation: 0, // the app API apps get; a reload replaces it
    deps: { ...webGlobalsDeps(scope, platform), ascii: platform } };
  const metadata = bootImageMetadata(platform);                            // the boot image's, read once
  startDevService({ console, channel: devices.channel, metadata, live,      // development images only: hot reload
    token: cmdline.values.get("devtoken"), bootId: bootId(platform), uptimeMs: () => (platform.monotonicNs() - originNs) / 1e6,
    evaluate: (name, code) => platform.evaluateApp(name, code, globals),
    reloadApi: (candidate) => platform.name === "native"
      ? loaderCode.current.reloadAppApi(api, [...live.values()], candidate)
      : Promise.reject(new Error(`Cannot reload the app API on the ${platform.name} platform: its apps run in the kernel's own context and see its globals; restart to give them a new API`)) });
  const run = { platform, console, scheduler, scope, api, timeline, network, live };
  const launches = cmdline.apps.map((name) => {                             // app=a,b: each with its env,
    const manifest = imageManifest(metadata, name);                         // its manifest when the image holds it,
    return { name, env: cmdline.envFor(name), manifest,
      settings: appSettings(manifest, cmdline.values, console) };           // CPU budget, restart policy: manifest or defaults
  });
  const status = await runApps(run, launches);                              // each in its context: load, main; loop until empty (restarts)
  if (network !== undefined && cmdline.flags.has("netstats")) console.log(network.statsLine()); // counters, on request
  return powerOff(platform, status);
}

/** 64 random bits in hex: tells one boot from another (the development channel's hello and results). */
function bootId(platform: Platform): string {
  const bytes = new Uint8Array(8);
  platform.randomFill(bytes);
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * boot() with the top-level panic handler: any exception escaping the kernel prints
 * "skiff: KERNEL PANIC" and powers off with ExitCode.KernelPanic.
 *
 * On the native platform poweroff does not return, so neither does this. On hosted and
 * fake platforms, whose poweroff throws, the returned promise rejects with exactly the
 * error the platform's poweroff threw (e.g. the fake's PoweredOff).
 */
export async function start(platform: Platform): Promise<void> {
  try {
    await boot(platform);
  } catch (error) {
    if (error instanceof PoweringOff) throw error.platformError;
    try {
      panic(platform, error);
    } catch (panicError) {
      throw panicError instanceof PoweringOff ? panicError.platformError : panicError;
    }
  }
}
