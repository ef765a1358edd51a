/**
 * App images end to end: `skiff build APP` writes build/apps/APP.img; the kernel booted with it
 * as qemu's -initrd (PVH module 0) runs the app from it — test-image-only, whose manifest keeps
 * it out of the ELF ("linked": false), so it can only have come from the image — and the app
 * reads its own asset back out of the image; a corrupt, truncated or foreign-engine image is
 * refused with a message saying why and status 1; `skiff run` boots from the image by default
 * and from the ELF with --linked; cloud-hypervisor gets the image as --initramfs (its command
 * line only: cloud-hypervisor cannot run here). Every VM is killed when its test ends. The
 * boots run one at a time: on this two-core machine, parallel TCG guests starve the serial
 * console's reader and lines lose bytes.
 */
import test, { type ExecutionContext } from "ava";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseRunArgs } from "../../host/cli/run_args.ts";
import { UsageError } from "../../host/cli/usage.ts";
import { cloudHypervisorArgs, loadCloudHypervisorProfile } from "../../host/launch/cloud_hypervisor.ts";
import { paths } from "../../host/launch/paths.ts";
import { crc32 } from "../../kernel-ts/image/crc32.ts";
import { CRC_START, HEADER } from "../../kernel-ts/image/format.ts";
import { AppImageError, parseAppImage, type AppImage } from "../../kernel-ts/image/read_image.ts";
import { bootSkiff, machines, requireImage } from "../helpers/vm.ts";

/** QuickJS's BC_VERSION as our patches leave it: 4, with 0x80 for patch 0015's opcodes, 0x85 with patch 0020's (133). */
const BYTECODE_VERSION = 0x85;

const SKIFF = [process.execPath, "--import", "tsx", "host/bin/skiff.ts"] as const;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-app-image-"));
test.after.always(() => fs.rmSync(scratch, { recursive: true, force: true }));

function skiff(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(SKIFF[0], [...SKIFF.slice(1), ...args], { cwd: paths.repoRoot, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function parsed(file: string): AppImage {
  const image = parseAppImage(new Uint8Array(fs.readFileSync(file)));
  if (image instanceof AppImageError) throw image;
  return image;
}

/** `skiff build APP` once per test run (the tests share its output). */
const built = new Map<string, ReturnType<typeof skiff>>();
function buildOnce(app: string): ReturnType<typeof skiff> {
  if (!built.has(app)) built.set(app, skiff("build", app));
  return built.get(app)!;
}

function imageOf(t: ExecutionContext, app: string): string {
  const result = buildOnce(app);
  t.is(result.status, 0, result.stderr);
  return path.join(paths.appImagesDir, `${app}.img`);
}

/** A copy of `file` with `change` applied and (when `reseal`) its CRC made right again. */
function variant(file: string, name: string, change: (bytes: Uint8Array) => Uint8Array, reseal = false): string {
  let bytes = change(new Uint8Array(fs.readFileSync(file)));
  if (reseal) {
    bytes = bytes.slice();
    const view = new DataView(bytes.buffer);
    view.setUint32(HEADER.crc32, crc32(bytes, CRC_START, view.getUint32(HEADER.imageLength, true)), true);
  }
  const out = path.join(scratch, name);
  fs.writeFileSync(out, bytes);
  return out;
}

test("skiff build hello writes build/apps/hello.img and prints its path and size", (t) => {
  requireImage();
  const result = buildOnce("hello");
  t.is(result.status, 0, result.stderr);
  const file = path.join(paths.appImagesDir, "hello.img");
  const size = fs.statSync(file).size;
  t.is(result.stdout.trim(), `skiff: ${path.relative(paths.repoRoot, file)} is ${size} bytes (/app/hello.bc, /app/hello.js, /app/hello.js.map)`);
  const image = parsed(file);
  t.deepEqual(image.metadata.app, { name: "hello", entry: "main.ts", ports: [], env: {}, cpuBudgetMs: 100, linked: true });
  t.deepEqual(image.metadata.engine, { quickjs: "2025-04-26", bytecodeVersion: BYTECODE_VERSION });
  // The bytecode is what host/build/bytecode.ts makes for linked apps: QuickJS's version byte, module "apps/hello.js".
  const bytecode = image.entries.get("/app/hello.bc")!;
  t.is(bytecode[0], BYTECODE_VERSION);
  t.true(Buffer.from(bytecode).includes(Buffer.from("apps/hello.js")));
});

test("skiff build test-image-only packs its assets, and bundle.ts leaves it out of the ELF", (t) => {
  const image = parsed(imageOf(t, "test-image-only"));
  t.deepEqual([...image.entries.keys()], ["/app/test-image-only.bc", "/app/test-image-only.js", "/app/test-image-only.js.map", "/app/assets/greeting.txt", "/app/assets/nested/data.json"]);
  t.is(Buffer.from(image.entries.get("/app/assets/greeting.txt")!).toString(), "Hello from an asset in the app image!\n");
  t.like(image.metadata.app, { linked: false, cpuBudgetMs: 250, memoryMb: 16, assets: "assets", env: { GREETING: "greeting.txt" } });
  t.false(fs.existsSync(path.join(paths.appBundlesDir, "test-image-only.js")), "make bundles linked test-image-only");
});

for (const machine of machines) {
  test.serial(`${machine}: the kernel runs test-image-only from its image, and the app reads its asset from it`, async (t) => {
    const initrd = imageOf(t, "test-image-only");
    const vm = await bootSkiff(t, { machine, app: "test-image-only", initrd });
    const app = vm.text.filter((line) => line.startsWith("test-image-only: "));
    t.deepEqual(app, [
      "test-image-only: running from the app image",
      "test-image-only: manifest cpuBudgetMs=250 memoryMb=16 env.GREETING=greeting.txt",
      'test-image-only: asset greeting.txt = "Hello from an asset in the app image!\\n"',
    ], vm.output);
    t.is(vm.code, 0);
  });
}

test.serial("q35: an app from its image is reported with its frames at their TypeScript lines (the image's source map)", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", app: "test-throw", initrd: imageOf(t, "test-throw") });
  const failed = vm.text.findIndex((line) => line === "skiff: app test-throw failed: Error: test-throw: out of widgets on purpose");
  t.true(failed >= 0, vm.output);
  // apps/test-throw/main.ts: the throw is on line 6, checkStock's call on 10, placeOrder's on 15.
  t.regex(vm.text[failed + 1] ?? "", /^\s+at checkStock \(apps\/test-throw\/main\.ts:6:\d+\)$/, vm.output);
  t.regex(vm.text[failed + 2] ?? "", /^\s+at placeOrder \(apps\/test-throw\/main\.ts:10:3\)$/, vm.output);
  t.regex(vm.text[failed + 3] ?? "", /^\s+at main \(apps\/test-throw\/main\.ts:15:5\)$/, vm.output);
  t.is(vm.code, 1);
});

test.serial("q35: selftest=hal passes every check with an image as module 0 (bootImage, loadApp from it)", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", cmdline: "selftest=hal", initrd: imageOf(t, "test-image-only") });
  t.true(vm.text.includes("hal-conformance: ok bootImage-gives-the-same-bytes-on-every-call"), vm.output);
  t.true(vm.text.includes("hal-conformance: ok loadApp-runs-the-boot-image's-app"), vm.output);
  t.regex(vm.text.find((line) => /^hal-conformance: \d+ passed/.test(line)) ?? "", / 0 failed$/, vm.output);
  t.is(vm.code, 0);
});

test.serial("q35: without the image, test-image-only is not in the kernel", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", app: "test-image-only" });
  t.true(vm.text.includes("skiff: app test-image-only not found"), vm.output);
  t.is(vm.code, 1);
});

test.serial("q35: an image of another app leaves the linked apps to run", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", app: "hello", initrd: imageOf(t, "test-image-only") });
  t.true(vm.text.includes("Hello from Skiff!"), vm.output);
  t.is(vm.code, 0);
});

const refusals = [
  {
    what: "a corrupt image (one flipped byte)",
    make: (file: string) => variant(file, "corrupt.img", (bytes) => { const copy = bytes.slice(); copy[copy.length - 3]! ^= 0x20; return copy; }),
    line: /^skiff: app hello failed: AppImageError: Cannot read the app image: the image is corrupt: its CRC-32 is 0x[0-9a-f]{8}, the header says 0x[0-9a-f]{8}$/,
  },
  {
    what: "a truncated image",
    make: (file: string) => variant(file, "truncated.img", (bytes) => bytes.subarray(0, bytes.length - 100)),
    line: /^skiff: app hello failed: AppImageError: Cannot read the app image: the image is truncated: the header says \d+ bytes, there are \d+$/,
  },
  {
    what: "an image compiled for another QuickJS",
    make: (file: string) => variant(file, "foreign.img", (bytes) => {
      const text = Buffer.from(bytes).toString("latin1").replace('"quickjs":"2025-04-26"', '"quickjs":"2024-01-13"');
      return new Uint8Array(Buffer.from(text, "latin1"));
    }, true),
    line: new RegExp(`^skiff: app hello failed: AppImageError: Cannot run an app from the app image: the image was built for QuickJS 2024-01-13 \\(bytecode version ${BYTECODE_VERSION}\\), this kernel runs QuickJS 2025-04-26 \\(bytecode version ${BYTECODE_VERSION}\\): rebuild it with \`skiff build\`$`),
  },
];

for (const refusal of refusals) {
  test.serial(`q35: ${refusal.what} is refused with a clear message and status 1`, async (t) => {
    const initrd = refusal.make(imageOf(t, "hello"));
    const vm = await bootSkiff(t, { machine: "q35", app: "hello", initrd });
    t.true(vm.text.some((line) => refusal.line.test(line)), vm.output);
    t.false(vm.text.includes("Hello from Skiff!"), "the app ran from a refused image's kernel");
    t.is(vm.code, 1);
  });
}

/** Runs the skiff CLI in its own process group, killed (with its qemu) whatever happens. */
function runCli(t: ExecutionContext, args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(SKIFF[0], [...SKIFF.slice(1), ...args], { cwd: paths.repoRoot, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  t.teardown(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

test.serial("skiff run boots the app's image by default (qemu -initrd), and refuses --linked for an image-only app", async (t) => {
  imageOf(t, "test-image-only");
  const run = await runCli(t, ["run", "test-image-only", "--no-build", "--accel", "tcg", "--timeout", "60"]);
  t.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
  t.regex(run.stdout, /^test-image-only: asset greeting\.txt = "Hello from an asset in the app image!\\n"$/m);
  const linked = skiff("run", "test-image-only", "--linked", "--no-build");
  t.is(linked.status, 2);
  t.regex(linked.stderr, /^skiff: Cannot run test-image-only --linked: its manifest says "linked": false, so it runs only from its image$/m);
});

test("skiff run --no-build without the image says how to make it", (t) => {
  fs.rmSync(path.join(paths.appImagesDir, "test-exit.img"), { force: true });
  const result = skiff("run", "test-exit", "--no-build");
  t.is(result.status, 1);
  t.regex(result.stderr, /Cannot boot test-exit from its image: .*test-exit\.img does not exist \(run `skiff build test-exit`, drop --no-build, or use --linked\)/);
});

test("run arguments: --linked is parsed, the image is the default", (t) => {
  t.false(parseRunArgs(["hello"]).linked);
  t.true(parseRunArgs(["hello", "--linked"]).linked);
  t.throws(() => parseRunArgs(["hello", "--linkd"]), { instanceOf: UsageError, message: /unknown option/ });
});

test("cloud-hypervisor gets the image as --initramfs, right after --kernel (its documented flag)", (t) => {
  const profile = loadCloudHypervisorProfile();
  const args = cloudHypervisorArgs({ profile, kernel: "build/skiff.elf", initramfs: "build/apps/hello.img", cmdline: "app=hello", memory: "64M" });
  t.deepEqual(args, [
    "--kernel", "build/skiff.elf",
    "--initramfs", "build/apps/hello.img",
    "--cmdline", "app=hello",
    "--memory", "size=64M",
    "--cpus", "boot=1",
    "--serial", "tty",
    "--console", "off",
  ]);
  t.false(cloudHypervisorArgs({ profile, kernel: "k", cmdline: "", memory: "64M" }).includes("--initramfs"));
});
