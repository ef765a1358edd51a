/**
 * store: least-recently-used eviction under the cap, lazy expiry and reclaiming on a
 * virtual clock, CAS uniques, flush_all now and at a deadline, and the accounting.
 * Keys are two bytes and values VALUE_LENGTH, so every item costs ITEM.
 */
import test from "ava";
import { ITEM_OVERHEAD } from "../../../apps/kv/item.ts";
import { RECLAIM_SCAN, Store } from "../../../apps/kv/store.ts";
import { VirtualClock } from "./helpers/kv_session.ts";

const VALUE_LENGTH = 100;
const ITEM = ITEM_OVERHEAD + 2 + VALUE_LENGTH;

/** A store that holds exactly `slots` items. */
function storeOf(slots: number): { store: Store; clock: VirtualClock } {
  const clock = new VirtualClock();
  return { store: new Store({ limitBytes: slots * ITEM, now: clock.now }), clock };
}

const value = (fill = 1, length = VALUE_LENGTH): Uint8Array => new Uint8Array(length).fill(fill);
/** The keys of `names` the store holds live (peek does not reorder). */
const held = (store: Store, names: readonly string[]): string[] => names.filter((name) => store.peek(name) !== undefined);
const NAMES = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"];

test("a cap must be a positive integer; an item larger than the cap is refused", (t) => {
  t.throws(() => new Store({ limitBytes: 0, now: () => 0 }), { instanceOf: RangeError });
  const { store } = storeOf(1);
  t.throws(() => store.set("k0", 0, 0, value(1, VALUE_LENGTH + 1)), { instanceOf: RangeError, message: /exceed the whole cap/ });
});

test("the least recently used item goes first; get and touch make an item recent, peek does not", (t) => {
  const { store } = storeOf(3);
  store.set("k1", 0, 0, value());
  store.set("k2", 0, 0, value());
  store.set("k3", 0, 0, value());
  store.get("k1"); // order: k2 k3 k1
  store.peek("k2");
  store.set("k4", 0, 0, value()); // evicts k2
  t.deepEqual(held(store, NAMES), ["k1", "k3", "k4"]);
  store.touch("k3", 0); // order: k1 k4 k3
  store.set("k5", 0, 0, value()); // evicts k1
  t.deepEqual(held(store, NAMES), ["k3", "k4", "k5"]);
  t.is(store.counters.evictions, 2);
  t.is(store.bytes, 3 * ITEM);
});

test("storing over a key makes it the most recent and needs no eviction", (t) => {
  const { store } = storeOf(3);
  for (const key of ["k1", "k2", "k3"]) store.set(key, 0, 0, value());
  store.set("k1", 0, 0, value(2)); // order: k2 k3 k1
  t.is(store.counters.evictions, 0);
  store.set("k4", 0, 0, value());
  t.deepEqual(held(store, NAMES), ["k1", "k3", "k4"]);
  t.deepEqual(store.peek("k1")?.value, value(2));
});

test("eviction frees as many of the oldest items as the new one needs", (t) => {
  const { store } = storeOf(10);
  for (let i = 0; i < 10; i++) store.set(`k${i}`, 0, 0, value());
  store.set("kk", 0, 0, value(1, 3 * ITEM - ITEM_OVERHEAD - 2));
  t.deepEqual(held(store, NAMES), ["k3", "k4", "k5", "k6", "k7", "k8", "k9"]);
  t.is(store.counters.evictions, 3);
});

test("expiry is lazy: gone from its deadline on, removed when a lookup finds it", (t) => {
  const { store, clock } = storeOf(3);
  store.set("k1", 0, clock.ms + 10_000, value());
  clock.advance(9.999);
  t.truthy(store.get("k1"));
  clock.advance(0.001);
  t.is(store.itemCount, 1, "held until looked up");
  t.is(store.get("k1"), undefined);
  t.is(store.itemCount, 0);
  t.is(store.bytes, 0);
  t.is(store.counters.expiredOnLookup, 1);
});

test("a full store reclaims expired items among the oldest before it evicts live ones", (t) => {
  const { store, clock } = storeOf(3);
  store.set("k1", 0, 0, value());
  store.set("k2", 0, clock.ms + 1000, value());
  store.set("k3", 0, 0, value());
  clock.advance(2);
  store.set("k4", 0, 0, value());
  t.deepEqual(held(store, NAMES), ["k1", "k3", "k4"]);
  t.is(store.counters.reclaimed, 1);
  t.is(store.counters.evictions, 0);
});

test("the reclaim scan looks at the RECLAIM_SCAN oldest items only", (t) => {
  const slots = RECLAIM_SCAN + 10;
  const clock = new VirtualClock();
  const itemOf3 = ITEM_OVERHEAD + 3 + VALUE_LENGTH;
  const store = new Store({ limitBytes: slots * itemOf3, now: clock.now });
  const key = (i: number): string => `k${String(i).padStart(2, "0")}`;
  for (let i = 0; i < slots; i++) store.set(key(i), 0, i === RECLAIM_SCAN + 2 ? clock.ms + 1000 : 0, value());
  clock.advance(2);
  store.set("new", 0, 0, value());
  t.is(store.counters.reclaimed, 0, "the expired item lies beyond the scan");
  t.is(store.counters.evictions, 1);
  t.is(store.peek(key(0)), undefined, "the oldest live item went instead");
});

test("CAS uniques: a new one per stored value, rewrites included; touch keeps it", (t) => {
  const { store } = storeOf(3);
  const first = store.set("k1", 0, 0, value());
  const second = store.set("k1", 0, 0, value());
  t.true(second.cas > first.cas);
  const rewritten = store.rewrite(second, value(7));
  t.true(rewritten.cas > second.cas);
  t.deepEqual(store.peek("k1")?.value, value(7));
  t.is(store.touch("k1", 0)?.cas, rewritten.cas);
  t.throws(() => store.rewrite(rewritten, value(1, 3)), { message: /length changes/ });
  t.throws(() => store.rewrite(second, value(8)), { message: /not live/ });
});

test("flush_all now empties the store; at a deadline, the first call from then on does", (t) => {
  const { store, clock } = storeOf(3);
  store.set("k1", 0, 0, value());
  store.flush(clock.ms);
  t.is(store.itemCount, 0);
  t.is(store.bytes, 0);
  store.set("k2", 0, 0, value());
  store.flush(clock.ms + 5000);
  clock.advance(4);
  store.set("k3", 0, 0, value());
  t.deepEqual(held(store, NAMES), ["k2", "k3"]);
  clock.advance(1);
  t.deepEqual(held(store, NAMES), [], "stored before the deadline: flushed");
  store.set("k4", 0, 0, value());
  clock.advance(100);
  t.deepEqual(held(store, NAMES), ["k4"], "stored after it: kept");
});

test("bytes is the sum of the items' sizes and never passes the cap", (t) => {
  const clock = new VirtualClock();
  const store = new Store({ limitBytes: 20_000, now: clock.now });
  for (let i = 0; i < 2000; i++) {
    store.set(`key${i % 80}`, 0, i % 7 === 0 ? clock.ms + 500 : 0, new Uint8Array(100 + ((i * 37) % 500)));
    if (i % 100 === 0) clock.advance(1);
    t.true(store.bytes <= store.limitBytes);
  }
  let sum = 0;
  for (let i = 0; i < 80; i++) sum += store.peek(`key${i}`)?.size ?? 0;
  t.is(store.bytes, sum);
  t.true(store.counters.evictions > 0 && store.counters.reclaimed > 0);
});
