/**
 * conformance: the HAL conformance checks, one list run against every Platform
 * implementation: by ava on the host (tests/unit/hal_conformance.test.ts, fake and Node)
 * and inside the VM by `selftest=hal` (selftest/hal.ts). Pure TypeScript: no ava, no Node.
 *
 * Each check throws (any Error) to fail, with a message that says what was seen. Bounds on
 * time are generous, because the VM runs under qemu TCG emulation. poweroff is not checked
 * (it cannot return); onUnhandledRejection is not either (the kernel owns that handler).
 * Checks that need an app expect one named "hello" with a default export. The device
 * checks (conformance_devices.ts) need no peer and pass on a platform with no devices; the
 * boot image checks (conformance_image.ts) pass with or without an image.
 */

import { check, expect, expectTypeError, show, type HalCheck } from "./conformance_helpers.ts";
import { deviceChecks } from "./conformance_devices.ts";
import { imageChecks } from "./conformance_image.ts";
import { DeadlinePassed, NotFound, type Platform } from "./platform.ts";

export type { HalCheck };

const NS_PER_MS = 1_000_000;
/** The latest a wait may return after its deadline, and "at once" for a past deadline. */
const LATE_BOUND_NS = 2_000 * NS_PER_MS;
const AT_ONCE_BOUND_NS = 500 * NS_PER_MS;
const YEAR_2020_MS = Date.UTC(2020, 0, 1);

function ms(ns: number): string {
  return `${(ns / NS_PER_MS).toFixed(3)} ms`;
}

/** Waits until monotonicNs() ≥ deadline, tolerating early (spurious) returns; bounded. */
function waitUntil(platform: Platform, deadlineNs: number): void {
  for (let i = 0; i < 1000 && platform.monotonicNs() < deadlineNs; i++) platform.wait(deadlineNs);
  expect(platform.monotonicNs() >= deadlineNs, "wait never reached its deadline in 1000 calls");
}

export const halChecks: readonly HalCheck[] = [
  check("monotonic-never-goes-backwards", (platform) => {
    let previous = platform.monotonicNs();
    expect(typeof previous === "number" && Number.isFinite(previous) && previous >= 0, `monotonicNs() gave ${previous}`);
    for (let i = 0; i < 10_000; i++) {
      const now = platform.monotonicNs();
      expect(now >= previous, `monotonicNs() went back from ${previous} to ${now} at read ${i}`);
      previous = now;
    }
  }),

  check("monotonic-advances-across-wait", (platform) => {
    const before = platform.monotonicNs();
    waitUntil(platform, before + NS_PER_MS);
    const after = platform.monotonicNs();
    expect(after > before, `monotonicNs() stood still across a 1 ms wait (${before})`);
  }),

  check("wait-returns-at-once-for-a-past-deadline", (platform) => {
    const start = platform.monotonicNs();
    for (const deadline of [0, start - 1, start]) {
      const ready = platform.wait(deadline);
      expect(Number.isInteger(ready) && ready >= 0, `wait(${deadline}) returned ${ready}, not a ReadySet`);
    }
    const spent = platform.monotonicNs() - start;
    expect(spent < AT_ONCE_BOUND_NS, `three waits on past deadlines took ${ms(spent)}`);
  }),

  check("wait-sleeps-until-its-deadline", (platform) => {
    const deadline = platform.monotonicNs() + 5 * NS_PER_MS;
    const ready = platform.wait(deadline);
    const woke = platform.monotonicNs();
    expect(Number.isInteger(ready) && ready >= 0, `wait returned ${ready}, not a ReadySet`);
    expect(ready !== 0 || woke >= deadline, `wait returned ${ms(deadline - woke)} before its deadline with an empty ReadySet`);
    expect(woke - deadline < LATE_BOUND_NS, `wait returned ${ms(woke - deadline)} after its deadline`);
  }),

  check("wall-clock-is-after-2020", (platform) => {
    const now = platform.wallClockMs();
    expect(typeof now === "number" && Number.isFinite(now), `wallClockMs() gave ${now}`);
    expect(now > YEAR_2020_MS, `wallClockMs() gave ${now}, before 2020-01-01`);
  }),

  check("wall-clock-agrees-with-monotonic-across-a-wait", (platform) => {
    const wall0 = platform.wallClockMs();
    const mono0 = platform.monotonicNs();
    waitUntil(platform, mono0 + 20 * NS_PER_MS);
    const wallElapsed = platform.wallClockMs() - wall0;
    const monoElapsed = (platform.monotonicNs() - mono0) / NS_PER_MS;
    expect(Math.abs(wallElapsed - monoElapsed) < 1_000,
      `wall clock advanced ${wallElapsed} ms while monotonic advanced ${monoElapsed.toFixed(3)} ms`);
  }),

  check("randomFill-fills-every-byte", (platform) => {
    const a = new Uint8Array(64);
    const b = new Uint8Array(64);
    platform.randomFill(a);
    platform.randomFill(b);
    expect(a.some((byte, i) => byte !== b[i]), "two 64-byte fills were identical");
    const big = new Uint8Array(4096);
    platform.randomFill(big);
    let run = 0;
    for (const byte of big) {
      run = byte === 0 ? run + 1 : 0;
      expect(run < 8, "4096 random bytes hold a run of 8 zero bytes");
    }
    expect(big.subarray(4080).some((byte) => byte !== 0), "the last 16 of 4096 bytes stayed zero");
  }),

  check("randomFill-writes-only-its-view", (platform) => {
    const buffer = new Uint8Array(96);
    platform.randomFill(buffer.subarray(16, 80));
    expect(buffer.subarray(0, 16).every((byte) => byte === 0), "bytes before the view were written");
    expect(buffer.subarray(80).every((byte) => byte === 0), "bytes after the view were written");
    expect(buffer.subarray(72, 80).some((byte) => byte !== 0), "the view's last 8 bytes stayed zero");
  }),

  check("randomFill-accepts-an-empty-array", (platform) => {
    platform.randomFill(new Uint8Array(0));
  }),

  check("randomFill-rejects-a-non-Uint8Array", (platform) => {
    expectTypeError(() => platform.randomFill("bytes" as unknown as Uint8Array), "randomFill(string)");
    expectTypeError(() => platform.randomFill([1, 2, 3] as unknown as Uint8Array), "randomFill(Array)");
  }),

  check("consoleWrite-accepts-bytes", (platform) => {
    platform.consoleWrite(new Uint8Array(0));
    const line = "hal-conformance: (consoleWrite probe)\n";
    const bytes = new Uint8Array(line.length);
    for (let i = 0; i < line.length; i++) bytes[i] = line.charCodeAt(i);
    platform.consoleWrite(bytes);
  }),

  check("consoleWrite-rejects-a-string", (platform) => {
    expectTypeError(() => platform.consoleWrite("text" as unknown as Uint8Array), "consoleWrite(string)");
  }),

  check("cmdline-is-a-string", (platform) => {
    const line = platform.cmdline();
    expect(typeof line === "string", `cmdline() gave a ${typeof line}`);
  }),

  check("bootTimeline-is-ordered-and-past", (platform) => {
    const marks = platform.bootTimeline();
    const now = platform.monotonicNs();
    expect(Array.isArray(marks), "bootTimeline() is not an array");
    let previous = -Infinity;
    for (const mark of marks) {
      expect(typeof mark.label === "string" && mark.label !== "", `a mark has label ${show(mark.label)}`);
      expect(typeof mark.ns === "number" && Number.isFinite(mark.ns), `mark ${mark.label} has ns ${mark.ns}`);
      expect(mark.ns >= previous, `mark ${mark.label} (${mark.ns}) is before the one ahead of it (${previous})`);
      expect(mark.ns <= now, `mark ${mark.label} (${mark.ns}) is after now (${now})`);
      previous = mark.ns;
    }
  }),

  check("memoryStats-is-consistent", (platform) => {
    const stats = platform.memoryStats();
    for (const field of ["heapTotal", "heapUsed", "heapPeak", "jsLimit"] as const) {
      const value = stats[field];
      expect(typeof value === "number" && Number.isFinite(value) && value >= 0, `${field} is ${value}`);
    }
    expect(stats.heapTotal === 0 || stats.heapUsed <= stats.heapTotal, `heapUsed ${stats.heapUsed} > heapTotal ${stats.heapTotal}`);
    expect(stats.heapPeak >= stats.heapUsed, `heapPeak ${stats.heapPeak} < heapUsed ${stats.heapUsed}`);
    expect(platform.memoryStats() !== stats, "memoryStats() returned the same object twice");
  }),

  check("yieldToJobs-drains-the-job-queue", async (platform) => {
    const ran: number[] = [];
    let chain = Promise.resolve();
    for (let i = 0; i < 8; i++) chain = chain.then(() => { ran.push(i); });
    let nested = false;
    void Promise.resolve().then(() => Promise.resolve().then(() => Promise.resolve().then(() => { nested = true; })));
    const pending = platform.yieldToJobs();
    expect(pending instanceof Promise, "yieldToJobs() did not return a Promise");
    await pending;
    expect(ran.length === 8, `only ${ran.length} of a chain of 8 jobs had run`);
    expect(nested, "a job queued by a job queued by a job had not run");
  }),

  check("drainJobs-runs-the-job-queue-empty-before-it-returns", async (platform) => {
    if (platform.drainJobs === undefined) {
      expect(platform.name !== "native", "the native platform has no drainJobs");
      return;
    }
    const ran: number[] = [];
    let chain = Promise.resolve();
    for (let i = 0; i < 8; i++) chain = chain.then(() => { ran.push(i); });
    let nested = false;
    void Promise.resolve().then(() => Promise.resolve().then(() => Promise.resolve().then(() => { nested = true; })));
    let yielded = false;
    void platform.yieldToJobs().then(() => { yielded = true; });
    expect(platform.drainJobs() === undefined, "drainJobs() returned a value");
    expect(ran.length === 8, `only ${ran.length} of a chain of 8 jobs had run when drainJobs returned`);
    expect(nested, "a job queued by a job queued by a job had not run when drainJobs returned");
    expect(yielded, "a pending yieldToJobs() promise was not resolved (and its job run) when drainJobs returned");
  }),

  check("loadApp-resolves-NotFound-for-an-unknown-app", async (platform) => {
    const result = await platform.loadApp("no-such-app");
    expect(result === NotFound, `loadApp("no-such-app") resolved ${show(result)}`);
  }),

  check("loadApp-resolves-hello-with-a-default-export", async (platform) => {
    const namespace = await platform.loadApp("hello");
    expect(namespace !== NotFound, `loadApp("hello") resolved NotFound`);
    expect(typeof namespace === "object" && namespace !== null, `loadApp("hello") resolved ${show(namespace)}`);
    expect("default" in namespace, "hello's namespace has no default export");
  }),

  check("loadApp-evaluates-afresh", async (platform) => {
    const first = await platform.loadApp("hello");
    const second = await platform.loadApp("hello");
    expect(first !== NotFound && second !== NotFound, "loadApp(\"hello\") resolved NotFound");
    expect(first !== second, "two loadApp(\"hello\") calls resolved the same namespace object");
  }),

  check("defineModule-offers-a-module-to-apps", async (platform) => {
    for (const bad of ["skiff:hal", "net", "skiff:", "skiff:Net"]) {
      let threw = false;
      try {
        platform.defineModule(bad, {});
      } catch (error) {
        expect(error instanceof RangeError, `defineModule(${show(bad)}) threw something other than a RangeError`);
        threw = true;
      }
      expect(threw, `defineModule(${show(bad)}) did not throw a RangeError`);
    }
    platform.defineModule("skiff:conformance", { answer: 42, greeting: "hello from defineModule" });
    const namespace = await platform.loadApp("test-import");
    if (namespace === NotFound) return; // a platform set up without that app has nothing more to show
    const entry = namespace["default"] as { answer?: unknown; greeting?: unknown } | undefined;
    expect(entry?.answer === 42, `test-import saw answer ${show(entry?.answer)}, not 42`);
    expect(entry?.greeting === "hello from defineModule", `test-import saw greeting ${show(entry?.greeting)}`);
  }),

  ...imageChecks,
  ...deviceChecks,

  check("runWithDeadline-calls-fn-and-returns-undefined-in-time", (platform) => {
    const seen: { calls: number } = { calls: 0 };
    const outcome = platform.runWithDeadline(Infinity, () => { seen.calls++; });
    expect(outcome === undefined && seen.calls === 1, `runWithDeadline(Infinity, fn) gave ${show(outcome)} after ${seen.calls} calls of fn`);
    const later = platform.runWithDeadline(platform.monotonicNs() + LATE_BOUND_NS, () => { seen.calls++; });
    expect(later === undefined && (seen.calls as number) === 2, `runWithDeadline(now + 2 s, fn) gave ${show(later)}`);
  }),

  check("runWithDeadline-propagates-fn's-exception-in-time", (platform) => {
    const thrown = new RangeError("from fn");
    let caught: unknown;
    try {
      platform.runWithDeadline(platform.monotonicNs() + LATE_BOUND_NS, () => { throw thrown; });
    } catch (error) {
      caught = error;
    }
    expect(caught === thrown, `runWithDeadline let ${show(caught)} out, not fn's own error`);
  }),

  check("runWithDeadline-reports-a-passed-deadline", (platform) => {
    const outcome = platform.runWithDeadline(platform.monotonicNs() - 1, () => {});
    expect(outcome === DeadlinePassed, `runWithDeadline with a past deadline gave ${show(outcome)}, not DeadlinePassed`);
  }),

  check("runWithDeadline-rejects-bad-arguments", (platform) => {
    expectTypeError(() => platform.runWithDeadline("1" as unknown as number, () => {}), "runWithDeadline with a string deadline");
    expectTypeError(() => platform.runWithDeadline(Infinity, 1 as unknown as () => void), "runWithDeadline with a number for fn");
    let rangeError = false;
    try {
      platform.runWithDeadline(NaN, () => {});
    } catch (error) {
      rangeError = error instanceof RangeError;
    }
    expect(rangeError, "runWithDeadline(NaN, fn) did not throw a RangeError");
  }),

  check("runWithDeadline-stops-a-runaway-loop-where-it-can", (platform) => {
    if (platform.name !== "native") return; // the others MAY let fn run on (platform.ts)
    const start = platform.monotonicNs();
    const seen = { finallyRan: false };
    const outcome = platform.runWithDeadline(start + 20 * NS_PER_MS, () => {
      for (;;) {
        try {
          for (;;) { /* spin */ }
        } catch {
          // An interrupt is not catchable: this never runs.
        } finally {
          seen.finallyRan = true;
        }
      }
    });
    const took = platform.monotonicNs() - start;
    expect(outcome === DeadlinePassed, `a 20 ms deadline on an endless loop gave ${show(outcome)}`);
    expect(!seen.finallyRan, "the stopped loop's finally ran");
    expect(took < LATE_BOUND_NS, `stopping the loop took ${ms(took)}`);
  }),
];
