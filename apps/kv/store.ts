/**
 * store: the cache — items by key, least recently used first, under a memory cap.
 *
 * A Map iterates in insertion order, so re-inserting a key when it is used keeps the Map's
 * first key the least recently used one: `get`, `touch` and every store move an item to
 * the end. A store that would pass the cap first reclaims expired items among the
 * RECLAIM_SCAN least recently used (counted in `reclaimed`), then evicts from the front
 * until the new item fits (counted in `evictions`). Expiry is otherwise lazy: a lookup
 * that finds an expired item removes it (counted in `expiredOnLookup`, memcached's
 * get_expired). flush_all empties the cache at once, or at its deadline: the first call
 * at or after it empties the cache, so no item stored after the deadline is lost.
 *
 * Time is injected (`now`, Unix ms), so tests run on a virtual clock.
 *
 * Invariants: `bytes` is the sum of the items' sizes and is at most `limitBytes` after
 * every call; CAS uniques only grow. An item larger than the whole cap cannot be stored:
 * the server makes the cap at least MIN_LIMIT_BYTES, which holds the largest item the
 * protocol accepts, so for it a store always succeeds.
 */
import { ITEM_OVERHEAD, ITEM_SIZE_MAX, isExpired, storedSize, type Item } from "./item.ts";

/** How many of the least recently used items a full store checks for expired ones. */
export const RECLAIM_SCAN = 32;
/** The smallest cap a server may have: one item of the largest size must fit. */
export const MIN_LIMIT_BYTES = ITEM_SIZE_MAX + ITEM_OVERHEAD;

export interface StoreOptions {
  readonly limitBytes: number;
  /** The clock, Unix ms. */
  readonly now: () => number;
}

export interface StoreCounters {
  /** Items stored since start (or the last reset). */
  totalItems: number;
  /** Live items removed to make room. */
  evictions: number;
  /** Expired items removed to make room. */
  reclaimed: number;
  /** Lookups that found their item expired. */
  expiredOnLookup: number;
}

export class Store {
  readonly limitBytes: number;
  readonly counters: StoreCounters = { totalItems: 0, evictions: 0, reclaimed: 0, expiredOnLookup: 0 };
  readonly #items = new Map<string, Item>();
  readonly #clock: () => number;
  #bytes = 0;
  #nextCas = 1;
  /** A delayed flush_all's deadline (Unix ms); 0 when none is pending. */
  #flushDeadline = 0;

  constructor(options: StoreOptions) {
    if (!Number.isInteger(options.limitBytes) || options.limitBytes < 1) {
      throw new RangeError(`Cannot create a store of ${options.limitBytes} bytes: the cap must be a positive integer`);
    }
    this.limitBytes = options.limitBytes;
    this.#clock = options.now;
  }

  /** The sum of the items' stored sizes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Items held, expired ones not yet removed included (memcached's curr_items). */
  get itemCount(): number {
    return this.#items.size;
  }

  /** The injected clock, Unix ms. */
  now(): number {
    return this.#clock();
  }

  /** The live item for `key`, leaving its place in the LRU order alone. */
  peek(key: string): Item | undefined {
    const now = this.#begin();
    const item = this.#items.get(key);
    if (item === undefined) return undefined;
    if (isExpired(item, now)) {
      this.#remove(item);
      this.counters.expiredOnLookup++;
      return undefined;
    }
    return item;
  }

  /** The live item for `key`, now the most recently used. */
  get(key: string): Item | undefined {
    const item = this.peek(key);
    if (item !== undefined) this.#bump(item);
    return item;
  }

  /** Stores a new item under `key` (replacing any) as the most recently used, evicting to make room. */
  set(key: string, flags: number, deadline: number, value: Uint8Array): Item {
    this.#begin();
    const size = storedSize(key.length, value.length);
    if (size > this.limitBytes) throw new RangeError(`Cannot store ${key}: its ${size} bytes exceed the whole cap of ${this.limitBytes}`);
    const old = this.#items.get(key);
    if (old !== undefined) this.#remove(old);
    const item: Item = { key, flags, value, deadline, cas: this.#nextCas++, size };
    this.#makeRoom(size);
    this.#items.set(key, item);
    this.#bytes += item.size;
    this.counters.totalItems++;
    return item;
  }

  /**
   * Gives the live item for `key` a new value of the same length and a new CAS unique, in
   * place (incr/decr when the number still fits): the item keeps its size, flags and
   * deadline, becomes the most recently used, and counts as no new item.
   */
  rewrite(item: Item, value: Uint8Array): Item {
    this.#begin();
    if (this.#items.get(item.key) !== item || value.length !== item.value.length) {
      throw new Error(`Cannot rewrite ${item.key}: the item is not live here or the length changes`);
    }
    const rewritten: Item = { ...item, value, cas: this.#nextCas++ };
    this.#items.delete(item.key);
    this.#items.set(item.key, rewritten);
    return rewritten;
  }

  /** Removes the live item for `key`; false when there is none. */
  delete(key: string): boolean {
    const item = this.peek(key);
    if (item === undefined) return false;
    this.#remove(item);
    return true;
  }

  /** Gives the live item for `key` a new deadline and makes it the most recently used. */
  touch(key: string, deadline: number): Item | undefined {
    const item = this.get(key);
    if (item !== undefined) item.deadline = deadline;
    return item;
  }

  /** flush_all: every item stored before `deadline` (Unix ms) goes when it comes — now, if it has passed. */
  flush(deadline: number): void {
    this.#flushDeadline = Math.max(deadline, 1); // 0 would mean no flush pending
    this.#begin();
  }

  resetCounters(): void {
    this.counters.totalItems = 0;
    this.counters.evictions = 0;
    this.counters.reclaimed = 0;
    this.counters.expiredOnLookup = 0;
  }

  /** Reads the clock and carries out a flush_all whose deadline has come. */
  #begin(): number {
    const now = this.#clock();
    if (this.#flushDeadline !== 0 && now >= this.#flushDeadline) {
      this.#items.clear();
      this.#bytes = 0;
      this.#flushDeadline = 0;
    }
    return now;
  }

  #bump(item: Item): void {
    this.#items.delete(item.key);
    this.#items.set(item.key, item);
  }

  #remove(item: Item): void {
    this.#items.delete(item.key);
    this.#bytes -= item.size;
  }

  /** Frees space until `size` more bytes fit: expired items near the LRU end first, then live ones from it. */
  #makeRoom(size: number): void {
    if (this.#bytes + size <= this.limitBytes) return;
    const now = this.#clock();
    let scanned = 0;
    for (const item of this.#items.values()) {
      if (scanned++ === RECLAIM_SCAN || this.#bytes + size <= this.limitBytes) break;
      if (isExpired(item, now)) {
        this.#remove(item);
        this.counters.reclaimed++;
      }
    }
    while (this.#bytes + size > this.limitBytes) {
      const oldest = this.#items.values().next();
      if (oldest.done === true) throw new Error(`Cannot make room for ${size} bytes: the store is empty and still over its cap of ${this.limitBytes}`);
      this.#remove(oldest.value);
      if (isExpired(oldest.value, now)) this.counters.reclaimed++;
      else this.counters.evictions++;
    }
  }
}
