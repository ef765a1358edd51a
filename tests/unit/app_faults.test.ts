/**
 * App fault isolation on the fake platform (issue 5, "Loader"): the watchdog's plumbing —
 * Platform.runWithDeadline judged on the fake's virtual clock, Watchdog.run, the budget of
 * main(), of app timers and of the image manifest or `cpubudget=` — and the restart policy.
 * The fake cannot stop a loop (platform.ts's MAY), so an "overrun" here is app code that
 * moves the virtual clock past its budget; tests/vm/app_faults.test.ts stops real loops.
 */
import test, { type ExecutionContext } from "ava";
import { writeAppImage } from "../../host/build/app_image.ts";
import type { AppScope } from "../../kernel-ts/globals.ts";
import { FakePlatform, PoweredOff, type AppFactory, type FakePlatformOptions } from "../../kernel-ts/hal/fake.ts";
import { DeadlinePassed, type ModuleNamespace } from "../../kernel-ts/hal/platform.ts";
import { loaderCode, type LoaderCode } from "../../kernel-ts/loader/code_slot.ts";
import { start } from "../../kernel-ts/main.ts";
import { BudgetExceeded, Watchdog } from "../../kernel-ts/sched/mod.ts";
import { COLD_FACTOR } from "../../kernel-ts/sched/watchdog.ts";
import { makeFake, NS_PER_MS } from "./helpers/fake.ts";

type Main = (env: Record<string, string>, scope: AppScope) => unknown;

async function boot(t: ExecutionContext, platform: FakePlatform) {
  const off = await t.throwsAsync(start(platform), { instanceOf: PoweredOff });
  return { code: off?.code, text: platform.text(), platform };
}

/** A fake whose app `hello` gets the platform too, to move its clock (its "CPU time"). */
function fakeWith(main: (platform: FakePlatform) => Main, options: Partial<FakePlatformOptions> = {}): FakePlatform {
  const platform: FakePlatform = makeFake({ ...options, apps: { hello: (() => ({ default: { main: main(platform) } })) as AppFactory } });
  return platform;
}

test("fake runWithDeadline: undefined in time, DeadlinePassed once fn moved the clock past the deadline, fn's error otherwise", (t) => {
  const fake = makeFake();
  const now = fake.monotonicNs();
  t.is(fake.runWithDeadline(now + 100 * NS_PER_MS, () => fake.advance(99 * NS_PER_MS)), undefined);
  t.is(fake.runWithDeadline(fake.monotonicNs() + 100 * NS_PER_MS, () => fake.advance(100 * NS_PER_MS)), DeadlinePassed);
  t.is(fake.runWithDeadline(fake.monotonicNs() + 100 * NS_PER_MS, () => { fake.advance(200 * NS_PER_MS); throw new Error("late"); }), DeadlinePassed);
  t.throws(() => fake.runWithDeadline(Infinity, () => { throw new Error("on time"); }), { message: "on time" });
});

test("Watchdog.run returns fn's value in budget and throws BudgetExceeded naming what ran over", (t) => {
  const fake = makeFake();
  const watchdog = new Watchdog(fake, 100);
  t.is(watchdog.run("fetch(GET /ok)", () => 42), 42);
  const error = t.throws(() => watchdog.run("fetch(GET /x)", () => fake.advance(150 * NS_PER_MS)), { instanceOf: BudgetExceeded });
  t.is(error?.message, "fetch(GET /x) ran past its 100 ms budget");
  t.throws(() => new Watchdog(fake, 0), { instanceOf: RangeError });
});

test("Watchdog.run's detail is made only for the error, after the kind it names", (t) => {
  const fake = makeFake();
  const watchdog = new Watchdog(fake, 100);
  let made = 0;
  const detail = (): string => { made++; return "GET /slow"; };
  t.is(watchdog.run("fetch", () => 7, detail), 7);
  t.is(made, 0, "no label for a call within its budget");
  t.throws(() => watchdog.run("fetch", () => fake.advance(150 * NS_PER_MS), detail), { message: "fetch(GET /slow) ran past its 100 ms budget" });
  t.is(made, 1);
});

test("Watchdog: the first run of each kind of entry gets COLD_FACTOR budgets (code translated on first use), later runs one", (t) => {
  const fake = makeFake();
  const watchdog = new Watchdog(fake, 100);
  t.is(watchdog.run("fetch(GET /a)", () => { fake.advance(150 * NS_PER_MS); return 1; }), 1, "cold: 150 ms is within 20 × 100");
  t.throws(() => watchdog.run("fetch(GET /b)", () => fake.advance(150 * NS_PER_MS)), { message: "fetch(GET /b) ran past its 100 ms budget" });
  t.throws(() => watchdog.run("main()", () => fake.advance(COLD_FACTOR * 100 * NS_PER_MS + 1)), { message: `main() ran past its ${COLD_FACTOR * 100} ms budget` });
});

test("a main() whose first slice runs past its (cold) budget fails with that message, status 1", async (t) => {
  const { code, text } = await boot(t, fakeWith((platform) => () => { platform.advance(2500 * NS_PER_MS); return 0; }));
  t.is(code, 1);
  t.regex(text, /\nskiff: app hello failed: main\(\) ran past its 2000 ms budget\n$/);
});

test("cpubudget= on the command line raises the budget of a linked app", async (t) => {
  const { code, text } = await boot(t, fakeWith((platform) => () => { platform.advance(5000 * NS_PER_MS); return 0; }, { cmdline: "cpubudget=500" }));
  t.is(code, 0, text);
  const ignored = await boot(t, fakeWith(() => () => 0, { cmdline: "cpubudget=soon" }));
  t.regex(ignored.text, /^skiff: cpubudget=soon ignored: the budget is an integer number of ms from 1 to 3600000\n/);
});

test("an app timer that runs past the budget is reported and the app goes on", async (t) => {
  const { code, text } = await boot(t, fakeWith((platform) => async (_env, scope) => {
    scope.setTimeout(() => platform.advance(2500 * NS_PER_MS), 10);
    await new Promise((resolve) => scope.setTimeout(resolve, 50));
    return 5;
  }));
  t.is(code, 5, text);
  t.regex(text, /\nskiff: uncaught exception: BudgetExceeded: a timer callback ran past its 2000 ms budget\n/);
});

// ── apps from an image: the manifest's cpuBudgetMs and restart ─────────────────────────

const engine = { quickjs: "2025-04-26", bytecodeVersion: 4 };
let loads = 0;
const evaluate = async (text: string, url: string) =>
  (await import(`data:text/javascript;base64,${Buffer.from(`${text}\n//# sourceURL=${url}?load=${++loads}`).toString("base64")}`)) as ModuleNamespace;

/** An image of app `hello` (its tests are serial: they share globalThis.testHooks) with `manifest` keys, whose main is `body` (JS source, with `scope`, `env` and globalThis.testHooks). */
function imageFake(manifest: Record<string, unknown>, body: string, cmdline = "", memoryStats?: FakePlatformOptions["memoryStats"]): FakePlatform {
  const image = writeAppImage(
    { format: 1, app: { name: "hello", entry: "main.ts", ports: [], env: {}, cpuBudgetMs: 100, linked: true, ...manifest } as never, engine },
    [{ path: "/app/hello.js", data: new TextEncoder().encode(`export default { main(env, scope) { const hooks = globalThis.testHooks; ${body} } };\n`) }],
  );
  const platform = makeFake({ bootImage: image, evaluate, cmdline, ...(memoryStats !== undefined ? { memoryStats } : {}) });
  (globalThis as { testHooks?: unknown }).testHooks = { advanceMs: (ms: number) => platform.advance(ms * NS_PER_MS), runs: 0 };
  return platform;
}

test.serial("an image app's manifest cpuBudgetMs is its budget", async (t) => {
  // main() is a first run: its budget is COLD_FACTOR (20) × cpuBudgetMs.
  const within = await boot(t, imageFake({ cpuBudgetMs: 500 }, "hooks.advanceMs(6000); return 0;"));
  t.is(within.code, 0, within.text);
  const over = await boot(t, imageFake({ cpuBudgetMs: 200 }, "hooks.advanceMs(6000); return 0;"));
  t.is(over.code, 1, over.text);
  t.regex(over.text, /skiff: app hello failed: main\(\) ran past its 4000 ms budget\n$/);
});

test.serial("restart on-failure: a failing main is started again after 100, 200 … ms until it succeeds", async (t) => {
  const platform = imageFake({ restart: "on-failure" }, `hooks.runs++; scope.console.log("run " + hooks.runs); if (hooks.runs < 3) throw new Error("run " + hooks.runs + " fails"); return 4;`);
  const startNs = platform.monotonicNs();
  const { code, text } = await boot(t, platform);
  t.is(code, 4, text);
  const lines = text.split("\n").filter((line) => /^(run |skiff: app)/.test(line));
  t.deepEqual(lines, [
    "run 1", "skiff: app hello failed: Error: run 1 fails", "skiff: app hello restarting in 100 ms (restart 1 of 5, restart: on-failure)",
    "run 2", "skiff: app hello failed: Error: run 2 fails", "skiff: app hello restarting in 200 ms (restart 2 of 5, restart: on-failure)",
    "run 3", "skiff: app hello exited with status 4",
  ]);
  t.true(platform.monotonicNs() - startNs >= 300 * NS_PER_MS);
});

test.serial("each run is the loader slot's current runOnce: a loader reloaded during a run carries out the restart", async (t) => {
  const bundled = loaderCode.current;
  t.teardown(() => { loaderCode.current = bundled; });
  const runs: string[] = [];
  (globalThis as { testHooksReloadLoader?: () => void }).testHooksReloadLoader = () => loaderCode.install({
    ...bundled,
    runOnce: (...args: Parameters<LoaderCode["runOnce"]>) => { runs.push(`new runOnce for ${args[1].name}`); return bundled.runOnce(...args); },
  });
  const platform = imageFake({ restart: "on-failure" }, `hooks.runs++; if (hooks.runs === 1) { globalThis.testHooksReloadLoader(); throw new Error("run 1 fails"); } return 3;`);
  const { code, text } = await boot(t, platform);
  t.is(code, 3, text);
  t.deepEqual(runs, ["new runOnce for hello"], "the first run was the bundled code's, the restart the new code's");
});

test.serial("restart on-failure gives up after 5 restarts with status 1; the default policy never restarts", async (t) => {
  const always = await boot(t, imageFake({ restart: "on-failure" }, `throw new Error("always");`));
  t.is(always.code, 1);
  t.is(always.text.match(/skiff: app hello failed: Error: always/g)?.length, 6);
  t.regex(always.text, /skiff: app hello failed 6 times; not restarting it again\n$/);
  const never = await boot(t, imageFake({}, `throw new Error("once");`));
  t.is(never.code, 1);
  t.is(never.text.match(/failed: Error: once/g)?.length, 1);
  t.notRegex(never.text, /restarting/);
});

test("the manifest's restart key is checked", async (t) => {
  const { checkManifest, ManifestError } = await import("../../kernel-ts/image/manifest.ts");
  t.is(checkManifest({ name: "a", entry: "main.ts", restart: "on-failure" }).restart, "on-failure");
  t.is(checkManifest({ name: "a", entry: "main.ts" }).restart, undefined);
  t.throws(() => checkManifest({ name: "a", entry: "main.ts", restart: "always" }), { instanceOf: ManifestError, message: /"restart" must be "never" or "on-failure"/ });
});

test.serial("an image app whose manifest asks for more memory than is free does not start, and says how much to give", async (t) => {
  const MiB = 1024 * 1024;
  const stats = { heapTotal: 24 * MiB, heapUsed: 10 * MiB, heapPeak: 10 * MiB, jsLimit: 21 * MiB };
  const short = await boot(t, imageFake({ memoryMb: 16 }, "return 0;", "", stats));
  t.is(short.code, 1);
  t.regex(short.text, /skiff: app hello failed: RangeError: Cannot start app hello: its manifest asks for 16 MiB \(memoryMb\) and 11\.0 MiB are free: give the machine more memory \(skiff run --mem 64M\)\n/);
  const fits = await boot(t, imageFake({ memoryMb: 8 }, "return 2;", "", stats));
  t.is(fits.code, 2, fits.text);
});
