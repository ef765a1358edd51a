/**
 * NodePlatform beyond the conformance suite: poweroff, and a whole boot of the real hello
 * bundle in a child process with `exit: true`, stdout as the console.
 */
import test from "ava";
import { build } from "esbuild";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { NodePlatform, PoweredOff } from "../../host/hosted/node_platform.ts";

const appsDir = mkdtempSync(join(tmpdir(), "skiff-apps-"));

test.before(async () => {
  await build({ entryPoints: ["apps/hello/main.ts"], outfile: join(appsDir, "hello.js"), bundle: true, format: "esm", platform: "neutral", logLevel: "warning" });
});

test.after.always(() => rmSync(appsDir, { recursive: true, force: true }));

test("poweroff records the code and throws PoweredOff; bad codes are a RangeError", (t) => {
  const platform = new NodePlatform({ write: () => {} });
  t.throws(() => platform.poweroff(256), { instanceOf: RangeError });
  t.is(platform.exitCode, undefined);
  const off = t.throws(() => platform.poweroff(3), { instanceOf: PoweredOff });
  t.is(off?.code, 3);
  t.is(platform.exitCode, 3);
});

test("wait(Infinity) returns after maxSleepMs instead of blocking forever", (t) => {
  const platform = new NodePlatform({ write: () => {}, maxSleepMs: 20 });
  const before = platform.monotonicNs();
  t.is(platform.wait(Infinity), 0);
  const sleptMs = (platform.monotonicNs() - before) / 1e6;
  t.true(sleptMs >= 19 && sleptMs < 1000, `slept ${sleptMs} ms`);
});

test("loadApp refuses names that are not app names", async (t) => {
  const platform = new NodePlatform({ appsDir, write: () => {} });
  t.is(await platform.loadApp("../hello"), "not-found");
  await t.throwsAsync(platform.loadApp(5 as unknown as string), { instanceOf: TypeError });
});

test("booting the hello bundle on Node prints its line and exits 0", async (t) => {
  const script = `
    import { NodePlatform } from ${JSON.stringify(new URL("../../host/hosted/node_platform.ts", import.meta.url).href)};
    import { start } from ${JSON.stringify(new URL("../../kernel-ts/main.ts", import.meta.url).href)};
    await start(new NodePlatform({ appsDir: ${JSON.stringify(appsDir)}, cmdline: "app=hello", exit: true }));
  `;
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, ["--import=tsx", "--input-type=module", "-e", script], { timeout: 20_000 });
  t.regex(stdout, /^skiff: boot timeline hosted-start=0\.000ms kernel-ready=\d+\.\d{3}ms app-start=\d+\.\d{3}ms\n/);
  t.regex(stdout, /\nHello from Skiff!\nskiff: app hello exited with status 0\n$/);
});
