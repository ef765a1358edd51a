/**
 * DeadlineHeap (kernel-ts/net/tcp/deadline_heap.ts): entries come out earliest first
 * whichever lane they went into — the queue for those pushed in order, the heap for the
 * rest — through interleaved pushes, pops and clears, against a sorted list.
 */
import test from "ava";
import { DeadlineHeap, type DeadlineEntry } from "../../../kernel-ts/net/tcp/deadline_heap.ts";

/** A small deterministic generator (xorshift32), so a failure repeats. */
function random(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

test("in-order pushes (TIME-WAIT's now + 2·MSL) come out in order, and size counts them", (t) => {
  const heap = new DeadlineHeap();
  for (let i = 0; i < 1000; i++) heap.push({ at: 30_000 + i, id: i });
  t.is(heap.size, 1000);
  for (let i = 0; i < 1000; i++) t.is(heap.pop()?.id, i);
  t.is(heap.size, 0);
  t.is(heap.peek(), undefined);
  t.is(heap.pop(), undefined);
});

test("an earlier deadline pushed after later ones comes out first", (t) => {
  const heap = new DeadlineHeap();
  heap.push({ at: 30_000, id: 1 }); // TIME-WAIT
  heap.push({ at: 30_001, id: 2 });
  heap.push({ at: 200, id: 3 }); // an RTO: earlier than the queue's last
  heap.push({ at: 30_000, id: 4 }); // equal deadlines: either order
  t.is(heap.peek()?.id, 3);
  t.deepEqual([heap.pop(), heap.pop(), heap.pop(), heap.pop()].map((entry) => entry?.at), [200, 30_000, 30_000, 30_001]);
});

for (const seed of [1, 7, 1234, 99991]) {
  test(`seed ${seed}: 20000 mixed operations pop in the order a sorted list gives`, (t) => {
    const next = random(seed);
    const heap = new DeadlineHeap();
    let reference: DeadlineEntry[] = [];
    let now = 0;
    for (let op = 0; op < 20_000; op++) {
      const roll = next();
      if (roll < 0.55) {
        now += Math.floor(next() * 5);
        // Mostly now + a constant (in order), sometimes a shorter timer (out of order).
        const at = next() < 0.7 ? now + 30_000 : now + Math.floor(next() * 1000);
        const entry = { at, id: op };
        heap.push(entry);
        reference.push(entry);
      } else if (roll < 0.999) {
        reference.sort((a, b) => a.at - b.at);
        const expected = reference.shift();
        const peeked = heap.peek();
        const popped = heap.pop();
        t.is(peeked, popped);
        if (expected === undefined) t.is(popped, undefined);
        else t.is(popped?.at, expected.at, `op ${op}`);
      } else {
        heap.clear();
        reference = [];
      }
      t.is(heap.size, reference.length);
    }
  });
}
