/**
 * BlockDevice on the fake platform's memory disk through the scheduler's loop: requests
 * in flight together, Again handled by queuing, completions routed by id, named errors.
 */
import test from "ava";
import { BlockIoError, BlockRangeError, BlockReadOnlyError, Devices } from "../../kernel-ts/dev/mod.ts";
import type { FakeBlockOptions } from "../../kernel-ts/hal/fake.ts";
import { makeScheduler } from "./helpers/fake.ts";

function setup(disk: Partial<FakeBlockOptions> = {}) {
  const { platform, scheduler } = makeScheduler({ devices: [{ kind: "net" }, { kind: "block", sectors: 64, ...disk }] });
  const devices = new Devices(platform, scheduler);
  return { platform, scheduler, disk: devices.block!, memory: platform.block(1) };
}

/** Runs `body` as a task and the loop until it is empty; returns body's result. */
async function run<T>(scheduler: ReturnType<typeof setup>["scheduler"], body: () => Promise<T>): Promise<T> {
  const task = scheduler.spawn("test", body);
  await scheduler.run();
  return task.result;
}

const sectorOf = (fill: number, sectors = 1) => new Uint8Array(512 * sectors).fill(fill);

test("a write then a read of the same sectors round-trips through the disk", async (t) => {
  const { scheduler, disk, memory } = setup();
  const back = await run(scheduler, async () => {
    await disk.write(3, sectorOf(0xab, 2));
    return disk.read(3, 1024);
  });
  t.deepEqual(back, sectorOf(0xab, 2));
  t.is(memory.bytes[3 * 512], 0xab);
  t.is(memory.bytes[5 * 512], 0);
});

test("several requests are in flight at once and each promise gets its own sectors", async (t) => {
  const { scheduler, disk, memory } = setup();
  for (let sector = 0; sector < 8; sector++) memory.bytes.fill(sector + 1, sector * 512, (sector + 1) * 512);
  let most = 0;
  scheduler.onFlush(() => { most = Math.max(most, disk.inFlight); });
  const reads = await run(scheduler, () => Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((sector) => disk.read(sector, 512))));
  t.deepEqual(reads.map((bytes) => bytes[0]), [1, 2, 3, 4, 5, 6, 7, 8]);
  t.is(most, 8);
});

test("Again from a full device queue is handled by queuing, in order", async (t) => {
  const { scheduler, disk, memory } = setup({ queueDepth: 2 });
  const writes = await run(scheduler, async () => {
    const pending = [0, 1, 2, 3, 4].map((i) => disk.write(i, sectorOf(i + 10)));
    const most = disk.inFlight;
    await Promise.all(pending);
    return most;
  });
  t.is(writes, 2);
  t.deepEqual([0, 1, 2, 3, 4].map((i) => memory.bytes[i * 512]), [10, 11, 12, 13, 14]);
});

test("flush waits for earlier writes and then completes", async (t) => {
  const { scheduler, disk, platform } = setup();
  const order: string[] = [];
  const flushFirst = platform.blockFlush.bind(platform);
  platform.blockFlush = (device) => { order.push(`flush submitted, ${disk.inFlight} in flight`); return flushFirst(device); };
  await run(scheduler, async () => {
    void disk.write(0, sectorOf(1)).then(() => order.push("write done"));
    await disk.flush();
    order.push("flush done");
  });
  t.deepEqual(order, ["write done", "flush submitted, 0 in flight", "flush done"]);
});

test("a read-only disk refuses writes with BlockReadOnlyError and a clear message", async (t) => {
  const { scheduler, disk } = setup({ readOnly: true });
  const error = await run(scheduler, () => disk.write(0, sectorOf(1)).then(() => undefined, (e: unknown) => e));
  t.true(error instanceof BlockReadOnlyError);
  t.is((error as Error).message, "Cannot write fake-disk1 at sector 0: the disk is read-only");
});

test("a device error rejects that request alone with BlockIoError", async (t) => {
  const { scheduler, disk, memory } = setup();
  memory.failNext("io-error");
  const [failed, ok] = await run(scheduler, () => Promise.allSettled([disk.read(0, 512), disk.read(1, 512)]));
  t.is(failed.status, "rejected");
  t.true((failed as PromiseRejectedResult).reason instanceof BlockIoError);
  t.regex(((failed as PromiseRejectedResult).reason as Error).message, /Cannot read fake-disk1 at sector 0: the device reported io-error/);
  t.is(ok.status, "fulfilled");
});

test("requests outside the disk or of partial sectors reject with BlockRangeError", async (t) => {
  const { disk } = setup();
  await t.throwsAsync(disk.read(64, 512), { instanceOf: BlockRangeError, message: /sectors 64–64: the disk has 64 sectors/ });
  await t.throwsAsync(disk.read(0, 100), { instanceOf: BlockRangeError });
  await t.throwsAsync(disk.write(-1, sectorOf(0)), { instanceOf: BlockRangeError });
  t.is(disk.inFlight, 0);
});

test("completions are routed by id to the device they belong to", async (t) => {
  const { platform, scheduler } = makeScheduler({ devices: [{ kind: "block", sectors: 8 }, { kind: "block", sectors: 8 }] });
  const devices = new Devices(platform, scheduler);
  platform.block(0).bytes.fill(0xa0);
  platform.block(1).bytes.fill(0xb1);
  const [a, b] = devices.blocks;
  const reads = await run(scheduler, () => Promise.all([a!.read(0, 512), b!.read(0, 512), a!.read(1, 512)]));
  t.deepEqual(reads.map((bytes) => bytes[0]), [0xa0, 0xb1, 0xa0]);
});

test("a disk with nothing in flight does not keep the loop alive", async (t) => {
  const { scheduler, platform } = setup();
  await scheduler.run();
  t.is(platform.waitCount, 0);
});
