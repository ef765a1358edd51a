import test, { type ExecutionContext } from "ava";
import type { AppScope } from "../../kernel-ts/globals.ts";
import { FakePlatform, PoweredOff, type AppFactory, type FakePlatformOptions } from "../../kernel-ts/hal/fake.ts";
import { start } from "../../kernel-ts/main.ts";
import { makeFake } from "./helpers/fake.ts";

type Main = (env: Record<string, string>, scope: AppScope) => unknown;
const app = (main: Main): AppFactory => () => ({ default: { main } });

/** hello as the fake runs it: through the scope, since Node keeps its own console global. */
const hello = app((_env, scope) => {
  scope.console.log("Hello from Skiff!");
  return 0;
});

async function boot(t: ExecutionContext, options: Partial<FakePlatformOptions>, platform: FakePlatform = makeFake(options)) {
  const off = await t.throwsAsync(start(platform), { instanceOf: PoweredOff });
  t.is(platform.exitCode, off?.code);
  return { code: off?.code, text: platform.text(), platform };
}

test("hello prints the boot timeline, its line, and exits 0", async (t) => {
  const platform: FakePlatform = makeFake({
    startNs: 4_100_000,
    bootTimeline: [{ label: "pvh-entry", ns: 0 }, { label: "c-main", ns: 412_000 }, { label: "quickjs-ready", ns: 3_201_000 }],
    apps: { hello: (importModule) => { platform.advance(200_000); return hello(importModule); } },
  });
  const { code, text } = await boot(t, {}, platform);
  t.is(code, 0);
  t.is(text, [
    "skiff: boot timeline pvh-entry=0.000ms c-main=0.412ms quickjs-ready=3.201ms kernel-ready=4.100ms app-start=4.300ms",
    "Hello from Skiff!",
    "skiff: app hello exited with status 0",
    "",
  ].join("\n"));
});

test("with no platform timeline, times are relative to the kernel's first clock reading", async (t) => {
  const { text } = await boot(t, { startNs: 7_000_000, apps: { hello } });
  t.regex(text, /^skiff: boot timeline kernel-ready=0\.000ms app-start=0\.000ms\n/);
});

test("app= picks the app; env.X=Y reaches main(env); the status is main's number", async (t) => {
  const { code, text } = await boot(t, {
    cmdline: "app=greeter env.WHO=world debug_exit=0xf4",
    apps: { greeter: app((env, scope) => { scope.console.log(`hi ${env["WHO"]}`); return 7; }) },
  });
  t.is(code, 7);
  t.regex(text, /\nhi world\nskiff: app greeter exited with status 7\n$/);
});

test("statuses are clamped to 0–99; nothing or a non-number means 0", async (t) => {
  for (const [value, status] of [[250, 99], [-3, 0], [4.7, 4], [undefined, 0], ["3", 0], [NaN, 0]] as const) {
    const { code, text } = await boot(t, { apps: { hello: app(() => value) } });
    t.is(code, status, `main returned ${String(value)}`);
    t.true(text.endsWith(`skiff: app hello exited with status ${status}\n`));
  }
});

test("an async main runs on the kernel's timers and the loop runs until empty", async (t) => {
  const { code, text } = await boot(t, {
    apps: {
      hello: app(async (_env, scope) => {
        await new Promise((resolve) => scope.setTimeout(resolve, 100));
        scope.setTimeout(() => scope.console.log("after main"), 50);
        return 3;
      }),
    },
  });
  t.is(code, 3);
  t.regex(text, /after main\nskiff: app hello exited with status 3\n$/);
});

test("an app that is not there: 'not found' and status 1", async (t) => {
  const { code, text } = await boot(t, { cmdline: "app=nope", apps: { hello } });
  t.is(code, 1);
  t.is(text, "skiff: app nope not found\n");
});

test("an app that throws while loading: 'failed' with the stack, status 1", async (t) => {
  const { code, text } = await boot(t, {
    apps: { hello: () => { throw new SyntaxError("Unexpected token"); } },
  });
  t.is(code, 1);
  t.regex(text, /^skiff: app hello failed: SyntaxError: Unexpected token\n\s+at /);
});

test("a main that throws or rejects: 'failed' with the stack, status 1", async (t) => {
  const mains: Main[] = [
    function throwingMain() { throw new Error("sync boom"); },
    async (_env, scope) => { await new Promise((resolve) => scope.setTimeout(resolve, 5)); throw new Error("async boom"); },
  ];
  for (const main of mains) {
    const { code, text } = await boot(t, { apps: { hello: app(main) } });
    t.is(code, 1);
    t.regex(text, /\nskiff: app hello failed: Error: (sync|async) boom\n\s+at /);
  }
});

test("a rejected main stops the loop even with timers armed", async (t) => {
  const { code } = await boot(t, {
    apps: { hello: app((_env, scope) => { scope.setInterval(() => {}, 10); return Promise.reject(new Error("gone")); }) },
  });
  t.is(code, 1);
});

test("out of memory in main is an app failure", async (t) => {
  class InternalError extends Error { override name = "InternalError"; }
  const { code, text } = await boot(t, { apps: { hello: app(() => { throw new InternalError("out of memory"); }) } });
  t.is(code, 1);
  t.regex(text, /skiff: app hello failed: InternalError: out of memory\n/);
});

test("an app with neither main() nor fetch() fails to start", async (t) => {
  const { code, text } = await boot(t, { apps: { hello: () => ({ default: {} }) } });
  t.is(code, 1);
  t.regex(text, /^skiff: app hello failed: TypeError: Cannot start app hello: its default export has neither main\(\) nor fetch\(\)/);
});

test("an app with fetch() on a machine without a network fails with what to attach", async (t) => {
  const { code, text } = await boot(t, { apps: { hello: () => ({ default: { fetch: () => new Response("x") } }) } });
  t.is(code, 1);
  t.regex(text, /skiff: app hello failed: Error: Cannot serve app hello over HTTP: the machine has no network \(attach one: --net user:8080:8080/);
});

test("a main that can never settle fails when the loop runs empty", async (t) => {
  const { code, text } = await boot(t, { apps: { hello: app(() => new Promise(() => {})) } });
  t.is(code, 1);
  t.regex(text, /skiff: app hello failed: Error: main\(\) never settled/);
});

test("a throwing app timer and an unhandled rejection are reported, and the app still exits 0", async (t) => {
  let platform: FakePlatform | undefined;
  platform = makeFake({
    apps: {
      hello: app(async (_env, scope) => {
        scope.setTimeout(function timerThatThrows() { throw new Error("timer boom"); }, 1);
        scope.setTimeout(() => platform?.emitUnhandledRejection(new Error("dropped promise")), 2);
        await new Promise((resolve) => scope.setTimeout(resolve, 10));
        return 0;
      }),
    },
  });
  const { code, text } = await boot(t, {}, platform);
  t.is(code, 0);
  t.regex(text, /skiff: uncaught exception: Error: timer boom\n\s+at .*timerThatThrows/);
  t.regex(text, /skiff: unhandled rejection: Error: dropped promise\n\s+at /);
  t.regex(text, /skiff: app hello exited with status 0\n$/);
});

test("selftest=kernel-throw panics with a kernel frame on the stack, status 100", async (t) => {
  const { code, text } = await boot(t, { cmdline: "selftest=kernel-throw", apps: { hello } });
  t.is(code, 100);
  t.regex(text, /^skiff: KERNEL PANIC: selftest kernel-throw: thrown on purpose from a kernel timer callback\n/);
  t.regex(text, /\n\s+at .*kernelThrowSelftest/);
  t.regex(text, /kernel-ts\/sched\/scheduler\.ts/);
  t.notRegex(text, /Hello from Skiff/);
});

test("the panic path survives a console that throws", async (t) => {
  class BrokenConsole extends FakePlatform {
    override consoleWrite(): void { throw new Error("serial port on fire"); }
  }
  const platform = new BrokenConsole({ macrotask: setImmediate, cmdline: "selftest=kernel-throw" });
  const { code } = await boot(t, {}, platform);
  t.is(code, 100);
});

test("selftest=hal runs the conformance checks and exits 0 when all pass", async (t) => {
  const { code, text } = await boot(t, { cmdline: "selftest=hal", apps: { hello } });
  t.is(code, 0);
  const lines = text.split("\n").filter((line) => /^hal-conformance: (ok|FAIL) /.test(line));
  t.true(lines.length >= 15);
  t.true(lines.every((line) => line.startsWith("hal-conformance: ok ")), text);
  t.regex(text, new RegExp(`\nhal-conformance: ${lines.length} passed, 0 failed\n$`));
});

test("selftest=hal reports a broken platform and exits 1", async (t) => {
  class NoRandom extends FakePlatform {
    override randomFill(): void {}
  }
  const platform = new NoRandom({ macrotask: setImmediate, cmdline: "selftest=hal", apps: { hello } });
  const { code, text } = await boot(t, {}, platform);
  t.is(code, 1);
  t.regex(text, /\nhal-conformance: FAIL randomFill-fills-every-byte: two 64-byte fills were identical\n/);
  t.regex(text, /hal-conformance: \d+ passed, [1-9]\d* failed\n$/);
});

test("booting on the fake leaves Node's own globals alone", async (t) => {
  const nodeSetTimeout = globalThis.setTimeout;
  const nodeConsole = globalThis.console;
  await boot(t, { apps: { hello } });
  t.is(globalThis.setTimeout, nodeSetTimeout);
  t.is(globalThis.console, nodeConsole);
});
