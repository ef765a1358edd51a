/**
 * Deadline hooks (Scheduler.onDeadline): the loop sleeps no longer than the earliest
 * deadline a hook gives (the network's protocol timers), a poll hook runs at that time,
 * and a deadline alone does not keep the loop alive.
 */
import test from "ava";
import { makeScheduler } from "./helpers/fake.ts";

const NS_PER_MS = 1e6;

test("the loop wakes at a hook's deadline and polls then, while something holds it", async (t) => {
  const { scheduler, nowMs } = makeScheduler();
  let due = 25 * NS_PER_MS;
  const polls: number[] = [];
  scheduler.onDeadline(() => due);
  const release = scheduler.keepAlive();
  scheduler.onPoll((_ready, nowNs) => {
    if (nowNs >= due) {
      polls.push(nowMs());
      due = polls.length < 3 ? nowNs + 10 * NS_PER_MS : Infinity;
      if (polls.length === 3) release();
    }
  });
  await scheduler.run();
  t.deepEqual(polls, [25, 35, 45]);
});

test("the earliest of the timer heap and the hooks wins", async (t) => {
  const { scheduler, nowMs } = makeScheduler();
  const woke: string[] = [];
  let due = 40 * NS_PER_MS; // a protocol timer: due once, then nothing
  scheduler.onDeadline(() => due);
  scheduler.onDeadline(() => Infinity);
  scheduler.setTimeout(() => woke.push(`timer@${nowMs()}`), 60);
  scheduler.onPoll((_ready, nowNs) => {
    if (nowNs >= due) {
      woke.push(`hook@${nowMs()}`);
      due = Infinity;
    }
  });
  await scheduler.run();
  t.deepEqual(woke, ["hook@40", "timer@60"]);
});

test("a deadline alone does not keep the loop alive", async (t) => {
  const { scheduler, nowMs } = makeScheduler();
  scheduler.onDeadline(() => 1000 * NS_PER_MS); // stays registered
  scheduler.setTimeout(() => {}, 5);
  await scheduler.run();
  t.is(nowMs(), 5, "the loop waited for a deadline nothing was holding it for");
});

test("a removed hook is not asked again", async (t) => {
  const { scheduler } = makeScheduler();
  let asked = 0;
  const remove = scheduler.onDeadline(() => {
    asked++;
    return Infinity;
  });
  scheduler.setTimeout(() => {}, 5);
  await scheduler.run();
  t.true(asked > 0, "the hook was never asked while registered");
  remove();
  const before = asked;
  scheduler.setTimeout(() => {}, 1);
  await scheduler.run();
  t.is(asked, before);
});
