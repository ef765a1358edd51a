/**
 * The HAL conformance suite (kernel-ts/hal/conformance.ts) against FakePlatform and
 * NodePlatform, each bare, with devices, and booted with an app image of hello, one ava test
 * per check and platform so a failure is named. The Node platform loads a hello bundle esbuild writes into a temporary
 * apps directory, as `make bundles` does for build/js/apps; its devices are a UDP network
 * on loopback (nobody at the other end) and a 64 KiB disk file.
 */
import test from "ava";
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeAppImage } from "../../host/build/app_image.ts";
import { halChecks } from "../../kernel-ts/hal/conformance.ts";
import { FakePlatform } from "../../kernel-ts/hal/fake.ts";
import { NotFound } from "../../kernel-ts/hal/platform.ts";
import { NodePlatform } from "../../host/hosted/node_platform.ts";
import { makeFake } from "./helpers/fake.ts";

const appsDir = mkdtempSync(join(tmpdir(), "skiff-apps-"));
const diskPath = join(appsDir, "disk.img");
writeFileSync(diskPath, new Uint8Array(128 * 512).fill(0xee));
/** An app image of hello (bundle only: the bytecode is the native platform's, not checked here). */
let helloImage: Uint8Array = new Uint8Array(0);
/** The fake's evaluate: a fresh module each call (a data: URL differing by a comment, as NodePlatform does). */
let evaluations = 0;
const evaluate = async (source: string, url: string) =>
  (await import(`data:text/javascript;base64,${Buffer.from(`${source}\n//# sourceURL=${url}?load=${++evaluations}\n`).toString("base64")}`)) as Record<string, unknown>;

test.before(async () => {
  for (const app of ["hello", "test-import"]) {
    await build({
      entryPoints: [`apps/${app}/main.ts`],
      outfile: join(appsDir, `${app}.js`),
      bundle: true,
      format: "esm",
      platform: "neutral",
      external: ["skiff:*"],
      logLevel: "warning",
    });
  }
  helloImage = writeAppImage(
    { format: 1, app: { name: "hello", entry: "main.ts", ports: [], env: {}, cpuBudgetMs: 100, linked: true }, engine: { quickjs: "2025-04-26", bytecodeVersion: 4 } },
    [{ path: "/app/hello.bc", data: new Uint8Array([4]) }, { path: "/app/hello.js", data: readFileSync(join(appsDir, "hello.js")) }],
  );
});

test.after.always(() => rmSync(appsDir, { recursive: true, force: true }));

const hello = () => ({ default: { main: () => 0 } });
/** test-import as the fake runs it: the import is a call (apps/test-import/main.ts). */
const testImport = (importModule: (name: string) => Record<string, unknown>) => {
  const { answer, greeting } = importModule("skiff:conformance");
  return { default: { answer, greeting, main: () => 0 } };
};

for (const check of halChecks) {
  test(`fake: ${check.name}`, async (t) => {
    await check.run(makeFake({ apps: { hello, "test-import": testImport } }));
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

  test(`fake-with-boot-image: ${check.name}`, async (t) => {
    await check.run(makeFake({ apps: { "test-import": testImport }, bootImage: helloImage, evaluate }));
    t.pass();
  });

  test(`hosted-node-with-boot-image: ${check.name}`, async (t) => {
    const platform = new NodePlatform({ appsDir: join(appsDir, "none"), write: () => {}, bootImage: helloImage });
    try {
      await check.run(platform);
    } finally {
      platform.dispose();
    }
    t.pass();
  });

  test(`fake-with-devices: ${check.name}`, async (t) => {
    const fake = makeFake({
      apps: { hello, "test-import": testImport },
      devices: [
        { kind: "net" },
        { kind: "block", sectors: 64 },
        { kind: "block", sectors: 16, readOnly: true },
        { kind: "console", capacity: 8 },
        { kind: "rng" },
        { kind: "block", sectors: 8, flush: false },
      ],
    });
    fake.net(0).injectFrame(new Uint8Array(60));
    await check.run(fake);
    t.pass();
  });

  test(`hosted-node-with-devices: ${check.name}`, async (t) => {
    const platform = new NodePlatform({
      appsDir,
      write: () => {},
      net: { local: { address: "127.0.0.1", port: 0 }, remote: { address: "127.0.0.1", port: 9 } },
      disk: { path: diskPath },
    });
    try {
      await check.run(platform);
    } finally {
      platform.dispose();
    }
    t.pass();
  });
}

test("the suite can fail: a checksum without end-around carry is caught", async (t) => {
  const fake = makeFake();
  const broken = Object.assign(Object.create(fake) as typeof fake, {
    checksum: (bytes: Uint8Array, start: number, end: number, seed: number) => fake.checksum(bytes, start, end, seed) === 0x0001 ? 0x0000 : fake.checksum(bytes, start, end, seed),
  });
  const check = halChecks.find((c) => c.name === "checksum-matches-RFC-1071-vectors");
  await t.throwsAsync(check!.run(broken), { message: /end-around carry/ });
});

test("the suite can fail: a disk that loses writes is caught", async (t) => {
  class LosesWrites extends FakePlatform {
    override blockWrite(device: number, sector: number, buffer: Uint8Array) {
      return super.blockWrite(device, sector, new Uint8Array(buffer.length));
    }
  }
  const broken = new LosesWrites({ macrotask: setImmediate, devices: [{ kind: "block", sectors: 16 }] });
  const check = halChecks.find((c) => c.name === "block-writes-flush-and-read-back-the-last-8-sectors");
  await t.throwsAsync(check!.run(broken), { message: /read back/ });
});

test("the suite can fail: a loadApp that ignores the boot image is caught", async (t) => {
  const fake = makeFake({ bootImage: helloImage, evaluate });
  const broken = Object.assign(Object.create(fake) as typeof fake, { bootImage: () => fake.bootImage(), loadApp: async () => NotFound });
  const check = halChecks.find((c) => c.name === "loadApp-runs-the-boot-image's-app");
  await t.throwsAsync(check!.run(broken), { message: /resolved NotFound though the boot image holds that app/ });
});

test("the suite can fail: a loadApp that accepts a corrupt boot image is caught", async (t) => {
  const corrupt = helloImage.slice();
  corrupt[corrupt.length - 1]! ^= 1;
  const fake = makeFake({ apps: { hello }, bootImage: corrupt, evaluate });
  const broken = Object.assign(Object.create(fake) as typeof fake, { bootImage: () => fake.bootImage(), loadApp: async () => hello() });
  const check = halChecks.find((c) => c.name === "loadApp-runs-the-boot-image's-app");
  await t.throwsAsync(check!.run(broken), { message: /the boot image is not valid \(the image is corrupt/ });
});

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
