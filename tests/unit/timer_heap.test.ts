import test from "ava";
import { TimerHeap } from "../../kernel-ts/sched/mod.ts";

interface Entry { deadlineNs: number; seq: number; label: string }

function drain(heap: TimerHeap<Entry>): Entry[] {
  const out: Entry[] = [];
  for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) out.push(entry);
  return out;
}

test("pops in deadline order, equal deadlines in push order", (t) => {
  const seed = 12345;
  let state = seed;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const heap = new TimerHeap<Entry>();
  const pushed: Entry[] = [];
  for (let seq = 0; seq < 500; seq++) {
    const entry = { deadlineNs: Math.floor(random() * 20), seq, label: `e${seq}` };
    pushed.push(entry);
    heap.push(entry);
  }
  t.is(heap.size, 500);
  const expected = [...pushed].sort((a, b) => a.deadlineNs - b.deadlineNs || a.seq - b.seq);
  t.deepEqual(drain(heap).map((e) => e.label), expected.map((e) => e.label), `seed ${seed}`);
  t.is(heap.pop(), undefined);
});

test("peek shows the next entry without removing it", (t) => {
  const heap = new TimerHeap<Entry>();
  t.is(heap.peek(), undefined);
  heap.push({ deadlineNs: 5, seq: 0, label: "late" });
  heap.push({ deadlineNs: 1, seq: 1, label: "early" });
  t.is(heap.peek()?.label, "early");
  t.is(heap.size, 2);
});

test("retain drops entries and keeps the order of the rest", (t) => {
  const heap = new TimerHeap<Entry>();
  for (let seq = 0; seq < 10; seq++) heap.push({ deadlineNs: 10 - seq, seq, label: `e${seq}` });
  heap.retain((entry) => entry.seq % 2 === 0);
  t.deepEqual(drain(heap).map((e) => e.label), ["e8", "e6", "e4", "e2", "e0"]);
});
