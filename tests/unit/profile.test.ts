import test from "ava";
import { functionTimes, parseFolded, profileFromConsole, report } from "../../bench/profile/folded.ts";
import type { Platform } from "../../kernel-ts/hal/platform.ts";
import { startProfile } from "../../kernel-ts/profile.ts";

/** A platform with just what startProfile reads, and timers run by hand. */
function setup(cmdline: Record<string, string>, withProfiler: boolean) {
  const calls: string[] = [];
  const lines: string[] = [];
  const timers: { callback: () => void; delayMs: number }[] = [];
  const platform = {
    name: "fake",
    ...(withProfiler ? {
      profileStart: (period?: number) => { calls.push(`start ${period}`); },
      profileStop: () => { calls.push("stop"); return "# skiff profile: samples=2 sampled_us=30 idle_us=5 dropped=0 period_us=50\na (k.js:1);b (k.js:2) 20\na (k.js:1) 10\n"; },
    } : {}),
  } as unknown as Platform;
  startProfile({ platform, values: new Map(Object.entries(cmdline)), log: (line) => lines.push(...line.split("\n")), after: (callback, delayMs) => timers.push({ callback, delayMs }) });
  return { calls, lines, timers };
}

test("no profile= key: nothing happens", (t) => {
  const { calls, lines, timers } = setup({}, true);
  t.deepEqual([calls, lines, timers.length], [[], [], 0]);
});

test("profile=S after profilestart=S: starts, stops after S, prints the stacks between the markers", (t) => {
  const { calls, lines, timers } = setup({ profile: "3", profilestart: "2", profileperiod: "50" }, true);
  t.deepEqual(timers.map((timer) => timer.delayMs), [2000]);
  timers[0]!.callback();
  t.deepEqual(calls, ["start 50"]);
  t.deepEqual(timers.map((timer) => timer.delayMs), [2000, 3000]);
  timers[1]!.callback();
  t.deepEqual(calls, ["start 50", "stop"]);
  const profile = profileFromConsole(lines);
  t.deepEqual(profile.summary, { samples: 2, sampled_us: 30, idle_us: 5, dropped: 0, period_us: 50 });
  t.deepEqual(functionTimes(profile), [
    { frame: "b (k.js:2)", selfUs: 20, totalUs: 20 },
    { frame: "a (k.js:1)", selfUs: 10, totalUs: 30 },
  ]);
});

test("bad settings and a platform without a profiler are refused with a line", (t) => {
  const bad: Record<string, string>[] = [{ profile: "0" }, { profile: "x" }, { profile: "1", profileperiod: "5" }, { profile: "1", profilestart: "-1" }];
  for (const values of bad) {
    const { calls, lines, timers } = setup(values, true);
    t.deepEqual([calls, timers.length], [[], 0]);
    t.regex(lines[0] ?? "", /ignored: want profile=SECONDS > 0/);
  }
  const { lines, timers } = setup({ profile: "1" }, false);
  t.is(timers.length, 0);
  t.deepEqual(lines, ["skiff: profile=1 ignored: the fake platform cannot sample JS stacks"]);
});

test("folded stacks: recursion counts once in total time; a malformed line or missing marker is an error", (t) => {
  const profile = parseFolded(["f (k:1);g (k:2);f (k:1) 7", "g (k:2) 3"]);
  t.deepEqual(functionTimes(profile), [
    { frame: "f (k:1)", selfUs: 7, totalUs: 7 },
    { frame: "g (k:2)", selfUs: 3, totalUs: 10 },
  ]);
  t.regex(report(profile), /70\.0 %\s+7 µs  f \(k:1\)/);
  t.throws(() => parseFolded(["no number here"]), { message: /Cannot read the folded stack line/ });
  t.throws(() => profileFromConsole(["skiff: profile begin", "a 1"]), { message: /no "skiff: profile end" line/ });
});
