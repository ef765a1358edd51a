/**
 * Several apps in one machine (issue 5, "Loader": app=a,b), on the fake platform: each runs
 * with its own env and timers, a failing app is reported and the others go on, its timers
 * stop with it, and the machine's status follows loader/run_apps.ts. Contexts of their own
 * are native only (tests/vm/app_contexts.test.ts); here apps share Node's.
 */
import test, { type ExecutionContext } from "ava";
import type { AppScope } from "../../kernel-ts/globals.ts";
import { PoweredOff, type AppFactory, type FakePlatformOptions } from "../../kernel-ts/hal/fake.ts";
import { start } from "../../kernel-ts/main.ts";
import { makeFake, makeScheduler } from "./helpers/fake.ts";
import { Watchdog } from "../../kernel-ts/sched/mod.ts";

type Main = (env: Record<string, string>, scope: AppScope) => unknown;
const app = (main: Main): AppFactory => () => ({ default: { main } });
const sleep = (scope: AppScope, ms: number) => new Promise((resolve) => scope.setTimeout(resolve, ms));

async function boot(t: ExecutionContext, options: Partial<FakePlatformOptions>) {
  const platform = makeFake(options);
  const off = await t.throwsAsync(start(platform), { instanceOf: PoweredOff });
  return { code: off?.code, text: platform.text() };
}

test("app=a,b runs both side by side, each with env.X and its own NAME.env.X; the status is the largest", async (t) => {
  const seen: string[] = [];
  const worker = (id: string, steps: number, status: number): AppFactory => app(async (env, scope) => {
    for (let i = 0; i < steps; i++) {
      seen.push(`${id}${i} ${env.GREETING} ${env.WHO}`);
      await sleep(scope, 10);
    }
    return status;
  });
  const { code, text } = await boot(t, {
    cmdline: "app=a,b,a env.GREETING=hi env.WHO=all b.env.WHO=bee",
    apps: { a: worker("a", 3, 2), b: worker("b", 2, 7) },
  });
  t.is(code, 7, text);
  t.deepEqual(seen, ["a0 hi all", "b0 hi bee", "a1 hi all", "b1 hi bee", "a2 hi all"], "interleaved: one loop, a listed once");
  t.regex(text, /skiff: app a exited with status 2\nskiff: app b exited with status 7\n$/);
  t.is(text.match(/boot timeline/g)?.length, 1, "one timeline line, at the first app's start");
});

test("one app fails and is reported; the other runs on and the machine stops with the failure's status", async (t) => {
  let ticks = 0;
  const { code, text } = await boot(t, {
    cmdline: "app=crasher,steady",
    apps: {
      crasher: app(async (_env, scope) => {
        scope.setInterval(() => { ticks++; }, 5);
        await sleep(scope, 12);
        throw new Error("crasher gives up");
      }),
      steady: app(async (_env, scope) => {
        await sleep(scope, 100);
        return 0;
      }),
    },
  });
  t.is(code, 1, text);
  t.regex(text, /skiff: app crasher failed: Error: crasher gives up\n/);
  t.regex(text, /skiff: app steady exited with status 0\n$/, "steady ran to its end after crasher failed");
  t.is(ticks, 2, "crasher's interval stopped with it (5 and 10 ms, not 15 … 100)");
});

test("an app that is not there fails alone; the other runs", async (t) => {
  const { code, text } = await boot(t, { cmdline: "app=ghost,real", apps: { real: app(() => 4) } });
  t.is(code, 1);
  t.regex(text, /skiff: app ghost not found\n/);
  t.regex(text, /skiff: app real exited with status 4\n/);
});

test("timerGroup: callbacks run under the group's watchdog; dispose cancels its timers and microtasks, and later calls arm nothing", async (t) => {
  const { platform, scheduler } = makeScheduler();
  const group = scheduler.timerGroup(new Watchdog(platform, 100));
  const other = scheduler.timerGroup(undefined);
  const fired: string[] = [];
  group.setTimeout(() => fired.push("group timeout"), 20);
  group.setInterval(() => fired.push("group interval"), 15);
  const kept = other.setTimeout(() => fired.push("other timeout"), 20);
  group.clearTimeout(kept); // a group clears only its own
  group.queueMicrotask(() => fired.push("dropped microtask"));
  t.is(group.armed(), 2);
  group.dispose();
  t.is(group.armed(), 0);
  t.is(group.setTimeout(() => fired.push("late"), 1), 0);
  await scheduler.run();
  t.deepEqual(fired, ["other timeout"]);
});
