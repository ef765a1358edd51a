/**
 * profile: `profile=SECONDS` on the command line samples the JS stacks (the kernel's and
 * the apps') for SECONDS, then prints them as folded stacks between two marker lines;
 * `profilestart=SECONDS` waits that long after boot before sampling (default 0: from boot,
 * warm-up and all), `profileperiod=US` sets the sampling period (default 100 µs of JS
 * time). Only the
 * native platform can sample (shim/js/hal_profile.c); elsewhere the request is refused with
 * a line saying so. bench/profile/report.ts turns the output into a table of functions.
 *
 *   skiff: profile begin
 *   # skiff profile: samples=… sampled_us=… idle_us=… dropped=… period_us=…
 *   outer (kernel.js:10);inner (kernel.js:20) 1234
 *   skiff: profile end
 *
 * The timers that start and end the profile are kernel timers: the VM runs at least
 * profilestart + profile seconds.
 */

import type { Platform } from "./hal/platform.ts";

export const PROFILE_BEGIN = "skiff: profile begin";
export const PROFILE_END = "skiff: profile end";

interface ProfileOptions {
  readonly platform: Platform;
  readonly values: ReadonlyMap<string, string>;
  readonly log: (line: string) => void;
  readonly after: (callback: () => void, delayMs: number) => void;
}

/** Starts the profiler when the command line asks for it. */
export function startProfile({ platform, values, log, after }: ProfileOptions): void {
  const seconds = values.get("profile");
  if (seconds === undefined) return;
  const duration = Number(seconds);
  const period = Number(values.get("profileperiod") ?? "100");
  const delay = Number(values.get("profilestart") ?? "0");
  if (!(duration > 0) || !(delay >= 0) || !(period >= 10 && period <= 1e6)) {
    log(`skiff: profile=${seconds} ignored: want profile=SECONDS > 0, profilestart=SECONDS ≥ 0, profileperiod=10 to 1000000 (µs)`);
    return;
  }
  if (platform.profileStart === undefined || platform.profileStop === undefined) {
    log(`skiff: profile=${seconds} ignored: the ${platform.name} platform cannot sample JS stacks`);
    return;
  }
  const start = platform.profileStart;
  const stop = platform.profileStop;
  after(() => {
    start(period);
    log(`skiff: profiling for ${duration} s, a sample every ${period} µs of JS time`);
    after(() => log(`${PROFILE_BEGIN}\n${stop().trimEnd()}\n${PROFILE_END}`), duration * 1000);
  }, delay * 1000);
}
