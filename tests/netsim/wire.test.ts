import test from "ava";
import { EventQueue } from "./sim/event_queue.ts";
import { seededRandom } from "./sim/random.ts";
import { runTransfer } from "./sim/transfer.ts";
import { CLEAN_LINK, type FrameSink, SimWire } from "./sim/wire.ts";

// The simulator itself: timing, impairment rates, and exact replay from a seed.

class Recorder implements FrameSink {
  readonly arrivals: Array<{ at: number; length: number; copy: boolean }> = [];
  now = 0;
  arrive(packet: Uint8Array, wireCopy: boolean): void { this.arrivals.push({ at: this.now, length: packet.length, copy: wireCopy }); }
}

/** Sends `count` frames of `length` bytes at t=0 from A and delivers everything, stepping event by event. */
function blast(model = CLEAN_LINK, count = 1, length = 12 + 1514, seed = 1) {
  const a = new Recorder();
  const b = new Recorder();
  const wire = new SimWire(a, b, model, model, seededRandom(seed));
  for (let i = 0; i < count; i++) wire.transmit(0, 0, new Uint8Array(length));
  while (wire.nextAt !== Infinity) { b.now = wire.nextAt; wire.deliver(b.now); }
  return { arrivals: b.arrivals, stats: wire.stats(0) };
}

test("a full frame arrives after its serialization time (with preamble and gap) plus the latency; back-to-back frames queue", (t) => {
  const perFrame = ((1514 + 24) * 8 * 1000) / 100e6; // 0.12304 ms at 100 Mbit/s
  const { arrivals } = blast(CLEAN_LINK, 3);
  t.deepEqual(arrivals.map((a) => +a.at.toFixed(5)), [1, 2, 3].map((n) => +(10 + n * perFrame).toFixed(5)));
});

test("the transmit queue drops at the tail when it holds queueBytes", (t) => {
  const { stats } = blast({ ...CLEAN_LINK, queueBytes: 10 * 1538 }, 15);
  t.is(stats.queueDrops, 5);
  t.is(stats.delivered, 10);
});

test("loss, duplication and reordering happen at about their rates; jitter alone keeps the order", (t) => {
  const { stats } = blast({ ...CLEAN_LINK, queueBytes: Infinity, loss: 0.05, duplicate: 0.02, reorder: 0.03, reorderDelay: 3 }, 20_000);
  t.true(Math.abs(stats.lost / 20_000 - 0.05) < 0.01, `lost ${stats.lost}`);
  t.true(Math.abs(stats.duplicated / 19_000 - 0.02) < 0.005, `duplicated ${stats.duplicated}`);
  t.true(Math.abs(stats.reordered / 19_000 - 0.03) < 0.006, `reordered ${stats.reordered}`);
  const jittered = blast({ ...CLEAN_LINK, queueBytes: Infinity, jitter: 5 }, 2000);
  const times = jittered.arrivals.map((a) => a.at);
  t.deepEqual(times, [...times].sort((x, y) => x - y));
});

test("events at the same instant run in the order they were queued", (t) => {
  const queue = new EventQueue<number>();
  for (let i = 0; i < 50; i++) queue.push(i % 3, i);
  const order: number[] = [];
  for (let v = queue.popDue(10); v !== undefined; v = queue.popDue(10)) order.push(v);
  t.deepEqual(order, [...order].sort((x, y) => (x % 3) - (y % 3) || x - y));
});

test("a run is a function of its seed: the same seed replays exactly, another differs", (t) => {
  const link = { ...CLEAN_LINK, loss: 0.03, duplicate: 0.01, reorder: 0.02, reorderDelay: 3, jitter: 0.5 };
  const run = (seed: number) => runTransfer({ seed, bytes: 300_000, bidirectional: true, link });
  const first = run(7);
  t.deepEqual(run(7), first);
  t.notDeepEqual(run(8).stacks, first.stacks);
});
