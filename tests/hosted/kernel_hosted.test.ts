/**
 * The kernel bundle runs inside quickjs-emscripten (the same engine as the VM) with the
 * hosted `skiff:hal`, prints what the VM prints and exits with the same statuses.
 */
import test from "ava";
import { runHostedApp } from "../helpers/hosted.ts";

test("hello prints its line and exits 0", async (t) => {
  const run = await runHostedApp("hello");
  t.regex(run.text[0] ?? "", /^skiff: boot timeline host-start=0\.000ms quickjs-ready=[0-9.]+ms .*app-start=[0-9.]+ms$/, run.output);
  t.deepEqual(run.text.slice(1), ["Hello from Skiff!", "skiff: app hello exited with status 0", ""]);
  t.deepEqual(run.outcome, { kind: "poweroff", code: 0 });
  t.is(run.status, 0);
});

test("selftest=hal passes every conformance check on hosted-quickjs", async (t) => {
  const run = await runHostedApp("hello", "selftest=hal");
  const summary = run.text.find((line) => /^hal-conformance: \d+ passed, \d+ failed$/.test(line));
  t.truthy(summary, run.output);
  t.regex(summary ?? "", / 0 failed$/, run.text.filter((line) => line.includes("FAIL")).join("\n"));
  t.is(run.status, 0);
});

test("test-exit's env.code becomes the status", async (t) => {
  const run = await runHostedApp("test-exit", "env.code=7");
  t.true(run.text.includes("skiff: app test-exit exited with status 7"), run.output);
  t.is(run.status, 7);
});

test("test-exit without env.code exits 42", async (t) => {
  const run = await runHostedApp("test-exit");
  t.is(run.status, 42, run.output);
});

test("an app that throws is reported with its frames, status 1", async (t) => {
  const run = await runHostedApp("test-throw");
  const failed = run.text.indexOf("skiff: app test-throw failed: Error: test-throw: out of widgets on purpose");
  t.true(failed >= 0, run.output);
  t.regex(run.text[failed + 1] ?? "", /^\s+at checkStock /);
  t.is(run.status, 1);
});

test("an unknown app is reported as not found, status 1", async (t) => {
  const run = await runHostedApp("no-such-app");
  t.true(run.text.includes("skiff: app no-such-app not found"), run.output);
  t.is(run.status, 1);
});

test("a kernel exception is a panic with a JS stack, status 100", async (t) => {
  const run = await runHostedApp("hello", "selftest=kernel-throw");
  const panic = run.text.findIndex((line) => line.startsWith("skiff: KERNEL PANIC: "));
  t.true(panic >= 0, run.output);
  t.regex(run.text[panic + 1] ?? "", /^\s+at \S+/);
  t.is(run.status, 100);
});

test("test-timers prints in deadline order and exits 0", async (t) => {
  const run = await runHostedApp("test-timers");
  t.deepEqual(
    run.text.filter((line) => line.startsWith("timers: ")),
    [
      "timers: main started",
      "timers: microtask",
      "timers: timeout 10ms",
      "timers: interval tick 1",
      "timers: timeout 30ms",
      "timers: interval tick 2",
      "timers: interval tick 3",
      "timers: done",
    ],
    run.output,
  );
  t.is(run.status, 0);
});

test("test-oom hits the 64 MiB limit as a JS error, status 1", async (t) => {
  const run = await runHostedApp("test-oom", "cpubudget=600000"); // filling the heap takes longer than the 100 ms CPU budget
  t.true(run.text.some((line) => /^skiff: app test-oom failed: .*out of memory/i.test(line)), run.output);
  t.is(run.status, 1);
});

test("the runner stops the kernel at its deadline, status 124", async (t) => {
  // test-timers needs 60 ms of timers; a 1 ms deadline interrupts it.
  const run = await runHostedApp("test-timers", "", 1);
  t.deepEqual(run.outcome, { kind: "timeout" });
  t.is(run.status, 124);
});
