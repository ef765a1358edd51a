/**
 * The virtio devices end to end, under qemu TCG on q35 -nodefaults with modern-only virtio-pci
 * (disable-legacy=on, MSI-X), each driven from the host:
 *   - net: apps/test-net-echo on a -netdev dgram wire whose other end is this test
 *     (tests/helpers/dgram_wire.ts): thousands of seeded frames of 60–1514 bytes, a window in
 *     flight, every one back byte for byte, none lost or reordered. The seed is printed on
 *     failure; SKIFF_TEST_SEED=N replays it.
 *   - blk: apps/test-blk writes patterns (apps/test-blk/pattern.ts), flushes and reads back;
 *     the host checks the file after qemu exits; a second boot with the same file verifies
 *     what the first wrote, and catches a block the host corrupted in between; a read-only
 *     disk refuses writes with a clear error and the file is unchanged.
 *   - rng: apps/test-rng reads bytes from virtio-rng.
 *   - channel: apps/test-channel on a virtconsole port whose unix socket this test connects
 *     to; lines go in, "echo: " lines come back, "bye" ends it.
 * Every VM is killed when its test ends, whatever happens (helpers/vm.ts).
 * SKIFF_DEVICE_MACHINES=q35,microvm adds microvm (pcie=on) to the machines.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import test, { type ExecutionContext } from "ava";
import type { QemuMachine } from "../../host/launch/qemu_profile.ts";
import { checkPattern, fillPattern, PATTERN_BLOCK_BYTES } from "../../apps/test-blk/pattern.ts";
import { DgramWire, echoFrames, makeFrames, MAX_FRAME, MIN_FRAME } from "../helpers/dgram_wire.ts";
import { bootSkiff, startSkiff } from "../helpers/vm.ts";

const machines = (process.env.SKIFF_DEVICE_MACHINES ?? "q35").split(",").filter(Boolean) as QemuMachine[];
const FRAMES = 3000;
const WINDOW = 32;
const DISK_BYTES = 4 << 20;
const BLOCKS = 256;

function testSeed(): number {
  const given = process.env.SKIFF_TEST_SEED;
  return given !== undefined ? Number(given) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
}

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-devices-"));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A disk file of DISK_BYTES filled with 0xEE, so a block never written cannot pass for zeros. */
function makeDisk(t: ExecutionContext): string {
  const file = path.join(tempDir(t), "disk.img");
  fs.writeFileSync(file, Buffer.alloc(DISK_BYTES, 0xee));
  return file;
}

/** The first block of the file whose bytes are not the pattern, with the byte; undefined when all are. */
function hostCheck(file: string, seed: number, blocks: number): string | undefined {
  const bytes = fs.readFileSync(file);
  for (let block = 0; block < blocks; block++) {
    const copy = new Uint8Array(bytes.subarray(block * PATTERN_BLOCK_BYTES, (block + 1) * PATTERN_BLOCK_BYTES));
    const at = checkPattern(copy, seed, block);
    if (at >= 0) return `block ${block} byte ${at}`;
  }
  return undefined;
}

for (const machine of machines) {
  test(`${machine}: virtio-net echoes ${FRAMES} frames of ${MIN_FRAME}-${MAX_FRAME} bytes byte for byte, in order`, async (t) => {
    const seed = testSeed();
    const wire = await DgramWire.open();
    t.teardown(() => wire.close());
    const vm = startSkiff(t, { machine, app: "test-net-echo", cmdline: `net=off env.count=${FRAMES}`, devices: [wire.device], timeoutMs: 240_000 });
    await vm.waitForLine(/^net-echo: ready mac=/, 60_000);
    const outcome = await echoFrames(wire, makeFrames(seed, FRAMES, { min: MIN_FRAME, max: MAX_FRAME }), { window: WINDOW, stallMs: 10_000, deadlineMs: 180_000 });
    if (outcome.failure !== undefined) {
      t.log(`seed ${seed} (replay: SKIFF_TEST_SEED=${seed})`);
      t.log(vm.output());
    }
    t.is(outcome.failure, undefined);
    t.is(outcome.echoed, FRAMES);
    const done = await vm.finished;
    t.true(done.text.includes(`net-echo: echoed ${FRAMES} frames, ${outcome.bytes} bytes`), done.output);
    // Zero copy: every frame the device had sent when the app printed its stats (the last
    // few may still sit in the kernel's transmit queue) left from the very receive buffer
    // it arrived in.
    const stats = /^net-echo: stats rxFrames=(\d+) txFrames=(\d+) txFromRxBuffers=(\d+) rxDrops=0$/m.exec(done.output);
    t.truthy(stats, done.output);
    t.is(Number(stats?.[1]), FRAMES);
    t.true(Number(stats?.[2]) >= FRAMES - 64, `only ${stats?.[2]} frames sent by the time the app printed its stats`);
    t.is(stats?.[3], stats?.[2], "some frames were copied on their way from the receive ring to the transmit ring");
    t.is(done.code, 0);
    t.log(`${FRAMES} frames in ${outcome.elapsedMs.toFixed(0)} ms (window ${WINDOW}, seed ${seed})`);
  });

  test(`${machine}: virtio-blk blocks read back identical, flushed to the file, and again after a reboot`, async (t) => {
    const seed = testSeed() || 1;
    const disk = makeDisk(t);
    const devices = [{ kind: "disk", file: disk, readOnly: false }] as const;

    const first = await bootSkiff(t, { machine, app: "test-blk", cmdline: `env.mode=write env.seed=${seed} env.blocks=${BLOCKS}`, devices, timeoutMs: 120_000 });
    t.true(first.text.includes(`blk: read back ${BLOCKS} blocks identical`), first.output);
    t.true(first.text.includes("blk: flushed"), first.output);
    t.is(first.code, 0, first.output);
    t.is(hostCheck(disk, seed, BLOCKS), undefined, `seed ${seed}: the file on the host does not hold what the guest wrote`);
    t.true(fs.readFileSync(disk).subarray(BLOCKS * PATTERN_BLOCK_BYTES).every((byte) => byte === 0xee), "bytes past the written blocks changed");

    const second = await bootSkiff(t, { machine, app: "test-blk", cmdline: `env.mode=verify env.seed=${seed} env.blocks=${BLOCKS}`, devices, timeoutMs: 120_000 });
    t.true(second.text.includes(`blk: verified ${BLOCKS} blocks identical (seed ${seed})`), second.output);
    t.is(second.code, 0);

    // The verify mode can fail: a byte the host changes between boots is found.
    const handle = fs.openSync(disk, "r+");
    fs.writeSync(handle, Buffer.from([0x5a]), 0, 1, 77 * PATTERN_BLOCK_BYTES + 1234);
    fs.closeSync(handle);
    const third = await bootSkiff(t, { machine, app: "test-blk", cmdline: `env.mode=verify env.seed=${seed} env.blocks=${BLOCKS}`, devices, timeoutMs: 120_000 });
    t.true(third.text.some((line) => line.startsWith("blk: MISMATCH at block 77 ")), third.output);
    t.is(third.code, 2);
  });

  test(`${machine}: a read-only virtio-blk disk refuses writes with a clear error`, async (t) => {
    const disk = makeDisk(t);
    const before = fs.readFileSync(disk);
    const vm = await bootSkiff(t, { machine, app: "test-blk", cmdline: "env.mode=write env.blocks=8", devices: [{ kind: "disk", file: disk, readOnly: true }], timeoutMs: 120_000 });
    t.true(vm.text.some((line) => /^blk: disk .* readOnly=true/.test(line)), vm.output);
    t.true(vm.text.some((line) => /^blk: cannot write: the disk is read-only \(.+\)$/.test(line)), vm.output);
    t.is(vm.code, 3);
    t.true(fs.readFileSync(disk).equals(before), "the read-only file changed");
  });

  test(`${machine}: virtio-rng bytes arrive`, async (t) => {
    const vm = await bootSkiff(t, { machine, app: "test-rng", cmdline: "env.bytes=4096", devices: [{ kind: "rng" }], timeoutMs: 120_000 });
    t.true(vm.text.some((line) => /^rng: device .*virtio-rng/.test(line)), vm.output);
    t.true(vm.text.some((line) => /^rng: read 4096 bytes, ones=0\.\d+, distinct=\d+, sane$/.test(line)), vm.output);
    t.is(vm.code, 0);
  });

  for (const transport of ["virtio-console", "serial"] as const) {
    // serial: the 16550 on the socket, the console on a virtio-console port (devchannel=serial).
    test(`${machine}: the ${transport} channel carries bytes both ways`, async (t) => {
      const socketPath = path.join(tempDir(t), "chan.sock");
      const vm = startSkiff(t, { machine, app: "test-channel", devices: [{ kind: "channel", socket: socketPath, transport }], timeoutMs: 120_000 });
      const ready = transport === "serial" ? /^channel: ready serial@0x3f8$/ : /^channel: ready virtio-console@/;
      await vm.waitForLine(ready, 60_000);
      const client = net.connect(socketPath);
      t.teardown(() => client.destroy());
      await new Promise<void>((resolve, reject) => client.once("connect", resolve).once("error", reject));
      let received = "";
      client.on("data", (chunk: Buffer) => { received += chunk.toString("latin1"); });

      // A long line crosses several virtqueue buffers (or FIFO refills) on the way in and
      // out; bytes 0x01–0xff (no newline) check that nothing is translated.
      const binary = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1).filter((byte) => byte !== 0x0a)).toString("latin1");
      const long = "x".repeat(6000);
      const lines = ["hello", binary, long, "bye"];
      client.write(Buffer.from(lines.map((line) => `${line}\n`).join(""), "latin1"));
      const expected = lines.map((line) => `echo: ${line}\n`).join("");
      const deadline = Date.now() + 60_000;
      while (received.length < expected.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      t.is(received.length, expected.length, `received ${received.length} of ${expected.length} bytes`);
      t.true(received === expected, "the echoed bytes differ");
      const done = await vm.finished;
      t.true(done.text.includes(`channel: echoed ${lines.length} lines, ${Buffer.byteLength(lines.join("\n") + "\n", "latin1")} bytes`), done.output);
      t.is(done.code, 0);
    });
  }
}

test("the pattern the host checks is the one the app writes (a wrong seed or block fails)", (t) => {
  const block = new Uint8Array(PATTERN_BLOCK_BYTES);
  fillPattern(block, 42, 7);
  t.is(checkPattern(block, 42, 7), -1);
  t.true(checkPattern(block, 43, 7) >= 0);
  t.true(checkPattern(block, 42, 8) >= 0);
  block[100] = block[100]! ^ 1;
  t.is(checkPattern(block, 42, 7), 100);
});
