/**
 * The HAL conformance suite (kernel-ts/hal/conformance.ts) against FakePlatform and
 * NodePlatform, one ava test per check and platform so a failure is named. The Node
 * platform loads a hello bundle esbuild writes into a temporary apps directory, as
 * `make bundles` does for build/js/apps.
 */
import test from "ava";
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { halChecks } from "../../kernel-ts/hal/conformance.ts";
import { NodePlatform } from "../../host/hosted/node_platform.ts";
import { makeFake } from "./helpers/fake.ts";

const appsDir = mkdtempSync(join(tmpdir(), "skiff-apps-"));

test.before(async () => {
  await build({
    entryPoints: ["apps/hello/main.ts"],
    outfile: join(appsDir, "hello.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    logLevel: "warning",
  });
});

test.after.always(() => rmSync(appsDir, { recursive: true, force: true }));

const hello = () => ({ default: { main: () => 0 } });

for (const check of halChecks) {
  test(`fake: ${check.name}`, async (t) => {
    await check.run(makeFake({ apps: { hello } }));
    t.pass();
  });

  test(`hosted-node: ${check.name}`, async (t) => {
    const written: Uint8Array[] = [];
    const platform = new NodePlatform({ appsDir, write: (bytes) => written.push(bytes) });
    try {
      await check.run(platform);
    } finally {
      platform.dispose();
    }
    t.pass();
  });
}

test("the suite can fail: a clock that goes backwards is caught", async (t) => {
  const fake = makeFake();
  let reads = 0;
  const broken = Object.assign(Object.create(fake) as typeof fake, {
    monotonicNs: () => (++reads === 500 ? 0 : reads * 10),
  });
  const check = halChecks.find((c) => c.name === "monotonic-never-goes-backwards");
  await t.throwsAsync(check!.run(broken), { message: /went back/ });
});

test("the suite can fail: a yieldToJobs that does not drain the queue is caught", async (t) => {
  const fake = makeFake();
  const broken = Object.assign(Object.create(fake) as typeof fake, { yieldToJobs: () => Promise.resolve() });
  const check = halChecks.find((c) => c.name === "yieldToJobs-drains-the-job-queue");
  await t.throwsAsync(check!.run(broken), { message: /of a chain of 8 jobs had run/ });
});
