/**
 * NetDevice on the fake platform through the scheduler's loop: the test is the wire
 * (FakeNet.inject / take), the device's frames go through poll and flush hooks.
 */
import test from "ava";
import { Devices, withNetHeader } from "../../kernel-ts/dev/mod.ts";
import type { FakeNetOptions } from "../../kernel-ts/hal/fake.ts";
import type { NetDeviceOptions } from "../../kernel-ts/dev/mod.ts";
import { makeScheduler } from "./helpers/fake.ts";

function setup(net: Partial<FakeNetOptions> = {}, driver: NetDeviceOptions = {}) {
  const { platform, scheduler } = makeScheduler({ devices: [{ kind: "net", ...net }] });
  const devices = new Devices(platform, scheduler, { net: driver });
  return { platform, scheduler, devices, wire: platform.net(0), net: devices.net! };
}

const frame = (n: number) => withNetHeader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, n]));
const tags = (packets: readonly Uint8Array[]) => packets.map((packet) => packet[12 + 6]);

test("frames the wire delivers are queued for receive(), in order", async (t) => {
  const { scheduler, wire, net } = setup();
  for (let i = 0; i < 3; i++) wire.injectFrame(new Uint8Array([0, 0, 0, 0, 0, 0, i]));
  t.is(net.receive(), undefined);
  scheduler.setTimeout(() => {}, 1); // one turn with a wait that reports the device
  await scheduler.run();
  t.deepEqual(tags([net.receive()!, net.receive()!, net.receive()!]), [0, 1, 2]);
  t.is(net.receive(), undefined);
  t.is(net.stats().rxFrames, 3);
});

test("a poll reads at most pollBudget frames per turn and asks for another turn for the rest", async (t) => {
  const { scheduler, wire, net } = setup({}, { pollBudget: 4 });
  for (let i = 0; i < 10; i++) wire.injectFrame(new Uint8Array(7));
  const seen: number[] = [];
  scheduler.onFlush(() => seen.push(net.stats().rxQueued));
  scheduler.setTimeout(() => {}, 1);
  await scheduler.run();
  // turn 1: no bit yet; turn 2: bit, 4 read; turns 3–4 without a new bit: 4, then 2 and Again.
  t.deepEqual(seen.slice(0, 4), [0, 4, 8, 10]);
});

test("nextFrame() waits for a frame and keeps the loop alive while it waits", async (t) => {
  const { scheduler, wire, net } = setup();
  const got = net.nextFrame();
  scheduler.setTimeout(() => wire.injectFrame(new Uint8Array([0, 0, 0, 0, 0, 0, 42])), 50);
  await scheduler.run(); // would end at once without the reader's hold (no timers after 50 ms)
  t.is((await got)[12 + 6], 42);
});

test("the async iterator yields frames as they arrive", async (t) => {
  const { scheduler, wire, net } = setup();
  const received: number[] = [];
  scheduler.spawn("reader", async () => {
    for await (const packet of net) {
      received.push(packet[12 + 6]!);
      if (received.length === 3) break;
    }
  });
  for (const [at, tag] of [[5, 1], [10, 2], [15, 3]] as const) scheduler.setTimeout(() => wire.injectFrame(new Uint8Array([0, 0, 0, 0, 0, 0, tag])), at);
  await scheduler.run();
  t.deepEqual(received, [1, 2, 3]);
});

test("an idle device does not keep the loop alive", async (t) => {
  const { scheduler, platform } = setup();
  await scheduler.run();
  t.is(platform.waitCount, 0);
});

test("send() batches a turn's frames into one netWrite at flush", async (t) => {
  const { platform, scheduler, wire, net } = setup();
  let writes = 0;
  const netWrite = platform.netWrite.bind(platform);
  platform.netWrite = (device, frames) => { writes++; return netWrite(device, frames); };
  scheduler.spawn("sender", () => {
    net.send(frame(1));
    net.send([frame(2), frame(3)]);
  });
  await scheduler.run();
  t.is(writes, 1);
  t.deepEqual(tags(wire.take()), [1, 2, 3]);
  t.is(net.stats().txFrames, 3);
});

test("when the ring is full the unqueued suffix is retried after the device frees room", async (t) => {
  const { scheduler, wire, net } = setup({ txRingSize: 2 });
  const taken: Uint8Array[] = [];
  scheduler.spawn("sender", () => { net.send([1, 2, 3, 4, 5].map(frame)); });
  scheduler.setTimeout(() => taken.push(...wire.take()), 10); // the wire drains at 10 ms and 20 ms
  scheduler.setTimeout(() => taken.push(...wire.take()), 20);
  await scheduler.run(); // the backlog keeps the loop alive until it is written
  taken.push(...wire.take());
  t.deepEqual(tags(taken), [1, 2, 3, 4, 5]);
  t.true(net.stats().txRingFull >= 2);
  t.is(net.stats().txQueued, 0);
});

test("send() refuses frames beyond txQueueLimit and counts them", (t) => {
  const { net } = setup({}, { txQueueLimit: 2 });
  t.is(net.send([frame(1), frame(2), frame(3)]), 2);
  t.is(net.stats().txQueueDrops, 1);
  t.is(net.send(frame(4)), 0, "a single packet (no list) is refused the same way");
  t.is(net.stats().txQueueDrops, 2);
  t.is(net.stats().txQueued, 2);
});

test("a full receive queue leaves frames on the device until receive() makes room", async (t) => {
  const { scheduler, wire, net } = setup({}, { rxQueueLimit: 2 });
  for (let i = 0; i < 4; i++) wire.injectFrame(new Uint8Array([0, 0, 0, 0, 0, 0, i]));
  scheduler.setTimeout(() => {}, 1);
  await scheduler.run();
  t.is(wire.rxPending, 2);
  const got = [net.receive()!, net.receive()!];
  scheduler.setTimeout(() => {}, 1);
  await scheduler.run();
  got.push(net.receive()!, net.receive()!);
  t.deepEqual(tags(got), [0, 1, 2, 3]);
});
