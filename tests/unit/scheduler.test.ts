import test from "ava";
import { makeScheduler } from "./helpers/fake.ts";

test("timers fire in deadline order, at their deadlines", async (t) => {
  const { scheduler, nowMs } = makeScheduler();
  const fired: string[] = [];
  scheduler.setTimeout(() => fired.push(`c@${nowMs()}`), 30);
  scheduler.setTimeout(() => fired.push(`a@${nowMs()}`), 10);
  scheduler.setTimeout(() => fired.push(`b@${nowMs()}`), 20);
  await scheduler.run();
  t.deepEqual(fired, ["a@10", "b@20", "c@30"]);
});

test("timers with equal deadlines fire in the order they were set", async (t) => {
  const { scheduler } = makeScheduler();
  const fired: number[] = [];
  for (let i = 0; i < 10; i++) scheduler.setTimeout(() => fired.push(i), 5);
  await scheduler.run();
  t.deepEqual(fired, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test("timer callbacks receive their extra arguments", async (t) => {
  const { scheduler } = makeScheduler();
  let seen: unknown[] = [];
  scheduler.setTimeout((...args: unknown[]) => { seen = args; }, 1, "x", 2);
  await scheduler.run();
  t.deepEqual(seen, ["x", 2]);
});

test("clearTimeout cancels a timer; unknown ids are ignored", async (t) => {
  const { scheduler } = makeScheduler();
  const fired: string[] = [];
  const id = scheduler.setTimeout(() => fired.push("cancelled"), 10);
  scheduler.setTimeout(() => fired.push("kept"), 20);
  scheduler.clearTimeout(id);
  scheduler.clearTimeout(id);
  scheduler.clearTimeout(9999);
  scheduler.clearTimeout(undefined);
  t.is(scheduler.armedTimers, 1);
  await scheduler.run();
  t.deepEqual(fired, ["kept"]);
});

test("many cleared timers do not keep the loop alive", async (t) => {
  const { scheduler, platform } = makeScheduler();
  const ids = Array.from({ length: 500 }, (_, i) => scheduler.setTimeout(() => t.fail("fired"), 10 + i));
  for (const id of ids) scheduler.clearTimeout(id);
  t.is(scheduler.armedTimers, 0);
  await scheduler.run();
  t.is(platform.waitCount, 0);
});

test("setInterval repeats until clearInterval inside its own callback", async (t) => {
  const { scheduler, nowMs } = makeScheduler();
  const fired: number[] = [];
  const id = scheduler.setInterval(() => {
    fired.push(nowMs());
    if (fired.length === 3) scheduler.clearInterval(id);
  }, 10);
  await scheduler.run();
  t.deepEqual(fired, [10, 20, 30]);
  t.is(scheduler.armedTimers, 0);
});

test("a timer set inside a timer callback fires relative to that callback", async (t) => {
  const { scheduler, nowMs } = makeScheduler();
  const fired: string[] = [];
  scheduler.setTimeout(() => {
    fired.push(`outer@${nowMs()}`);
    scheduler.setTimeout(() => fired.push(`inner@${nowMs()}`), 5);
  }, 10);
  scheduler.setTimeout(() => fired.push(`other@${nowMs()}`), 12);
  await scheduler.run();
  t.deepEqual(fired, ["outer@10", "other@12", "inner@15"]);
});

test("delays below 1 ms or not numbers become 1 ms, like Node", async (t) => {
  const { scheduler, nowMs } = makeScheduler();
  const fired: number[] = [];
  scheduler.setTimeout(() => fired.push(nowMs()), 0);
  scheduler.setTimeout(() => fired.push(nowMs()), -5);
  scheduler.setTimeout(() => fired.push(nowMs()), "soon");
  await scheduler.run();
  t.deepEqual(fired, [1, 1, 1]);
});

test("a non-function callback is a TypeError", (t) => {
  const { scheduler } = makeScheduler();
  t.throws(() => scheduler.setTimeout("code" as unknown as () => void, 1), { instanceOf: TypeError });
  t.throws(() => scheduler.queueMicrotask(42 as unknown as () => void), { instanceOf: TypeError });
});

test("promise jobs queued by a timer callback run before the next timer callback", async (t) => {
  const { scheduler } = makeScheduler();
  const order: string[] = [];
  scheduler.setTimeout(() => {
    order.push("first");
    scheduler.queueMicrotask(() => order.push("microtask"));
    void Promise.resolve().then(() => order.push("job"));
  }, 5);
  scheduler.setTimeout(() => order.push("second"), 5);
  await scheduler.run();
  t.deepEqual(order, ["first", "microtask", "job", "second"]);
});

test("a throwing timer callback is reported with its stack and the loop goes on", async (t) => {
  const { scheduler, reports } = makeScheduler();
  const fired: string[] = [];
  scheduler.setTimeout(function throwsOnPurpose() { throw new Error("boom"); }, 5);
  scheduler.setTimeout(() => fired.push("after"), 10);
  await scheduler.run();
  t.deepEqual(fired, ["after"]);
  t.is(reports.length, 1);
  t.is(reports[0]?.kind, "uncaught exception");
  const error = reports[0]?.error as Error;
  t.is(error.message, "boom");
  t.regex(error.stack ?? "", /throwsOnPurpose/);
});

test("a throwing microtask is reported and not fatal", async (t) => {
  const { scheduler, reports } = makeScheduler();
  let later = false;
  scheduler.queueMicrotask(() => { throw new RangeError("micro"); });
  scheduler.setTimeout(() => { later = true; }, 1);
  await scheduler.run();
  t.true(later);
  t.is(reports.length, 1);
  t.is((reports[0]?.error as Error).message, "micro");
});

test("a throwing kernel timer makes run() reject", async (t) => {
  const { scheduler, reports } = makeScheduler();
  scheduler.kernelTimeout(() => { throw new Error("kernel bug"); }, 5);
  await t.throwsAsync(scheduler.run(), { message: "kernel bug" });
  t.is(reports.length, 0);
});

test("the loop ends at once when nothing is armed", async (t) => {
  const { scheduler, platform } = makeScheduler();
  await scheduler.run();
  t.is(platform.waitCount, 0);
  t.is(platform.monotonicNs(), 0);
});

test("the loop waits for the next deadline, not earlier", async (t) => {
  const { scheduler, platform } = makeScheduler();
  scheduler.setTimeout(() => {}, 50);
  await scheduler.run();
  t.is(platform.waitCount, 1);
  t.is(platform.monotonicNs(), 50_000_000);
});

test("stop() ends the loop with timers still armed", async (t) => {
  const { scheduler } = makeScheduler();
  scheduler.setInterval(() => {}, 10);
  scheduler.setTimeout(() => scheduler.stop(), 25);
  await scheduler.run();
  t.is(scheduler.armedTimers, 1);
});

test("tasks run, settle and are listed with their states", async (t) => {
  const { scheduler } = makeScheduler();
  const sleeper = scheduler.spawn("sleeper", () => new Promise<string>((resolve) => scheduler.setTimeout(() => resolve("rested"), 10)));
  const quick = scheduler.spawn("quick", () => 7);
  t.deepEqual(scheduler.tasks().map((task) => [task.name, task.state]), [["sleeper", "ready"], ["quick", "ready"]]);
  const during: string[] = [];
  scheduler.setTimeout(() => during.push(...scheduler.tasks().map((task) => `${task.name}:${task.state}`)), 5);
  await scheduler.run();
  t.deepEqual(during, ["sleeper:waiting", "quick:done"]);
  t.is(await sleeper.result, "rested");
  t.is(await quick.result, 7);
  t.deepEqual(scheduler.tasks().map((task) => task.state), ["done", "done"]);
});

test("a task that throws fails, and its result rejects", async (t) => {
  const { scheduler } = makeScheduler();
  const task = scheduler.spawn("bad", () => { throw new Error("nope"); });
  const outcome = t.throwsAsync(task.result, { message: "nope" });
  await scheduler.run();
  await outcome;
  t.is(scheduler.tasks()[0]?.state, "failed");
});

test("a task pending on nothing does not keep the loop alive", async (t) => {
  const { scheduler } = makeScheduler();
  scheduler.spawn("stuck", () => new Promise(() => {}));
  await scheduler.run();
  t.is(scheduler.tasks()[0]?.state, "waiting");
});

test("CPU time of a task's body and of the timers it set is accounted to it", async (t) => {
  // Each clock read advances the virtual clock by 1 µs: "work" is clock reads.
  const { scheduler, platform } = makeScheduler({ autoAdvanceNs: 1_000 });
  const burn = (reads: number) => { for (let i = 0; i < reads; i++) platform.monotonicNs(); };
  let afterBody = 0;
  const busy = scheduler.spawn("busy", () => {
    burn(100);
    scheduler.setTimeout(() => burn(200), 5);
  });
  scheduler.spawn("idle", () => {});
  scheduler.setTimeout(() => { afterBody = scheduler.tasks().find((task) => task.id === busy.id)?.cpuNs ?? -1; }, 1);
  await scheduler.run();
  const cpu = Object.fromEntries(scheduler.tasks().map((task) => [task.name, task.cpuNs]));
  t.true(afterBody >= 100_000 && afterBody < 110_000, `busy after its body: ${afterBody} ns`);
  t.true((cpu["busy"] ?? 0) >= 300_000 && (cpu["busy"] ?? 0) < 320_000, `busy in all: ${cpu["busy"]} ns`);
  t.true((cpu["idle"] ?? Infinity) <= 2_000, `idle: ${cpu["idle"]} ns`);
});

test("unhandled rejections from the platform are reported with their stack", async (t) => {
  const { scheduler, platform, reports } = makeScheduler();
  t.truthy(scheduler);
  const error = new Error("lost");
  t.true(platform.emitUnhandledRejection(error));
  t.is(reports.length, 1);
  t.is(reports[0]?.kind, "unhandled rejection");
  t.is(reports[0]?.error, error);
  t.regex((reports[0]?.error as Error).stack ?? "", /at /);
});

test("run() cannot be entered twice", async (t) => {
  const { scheduler } = makeScheduler();
  scheduler.setTimeout(() => {}, 5);
  const first = scheduler.run();
  await t.throwsAsync(scheduler.run(), { message: /already running/ });
  await first;
});
