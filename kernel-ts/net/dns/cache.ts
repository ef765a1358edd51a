/**
 * dns/cache: answers kept until their TTL runs out (RFC 1035 §3.2.1; bounded above by
 * `maxTtlSeconds`, RFC 2181 §8) in a map of at most `capacity` names; the least recently
 * used name goes first when it is full. Keys are lower-case (names compare without case,
 * RFC 4343). Time is passed in.
 */
import type { Ipv4Address } from "../contracts.ts";

export interface CachedAnswer {
  readonly addresses: readonly Ipv4Address[];
  /** Milliseconds on the caller's clock. */
  readonly expiresAt: number;
}

export class DnsCache {
  readonly #entries = new Map<string, CachedAnswer>();
  constructor(readonly capacity: number, readonly maxTtlSeconds: number) {
    if (!(capacity >= 0)) throw new RangeError(`Cannot make a DNS cache of ${capacity} names`);
  }

  get size(): number { return this.#entries.size; }

  /** The live answer for `name`, or undefined (an expired one is dropped). */
  get(now: number, name: string): CachedAnswer | undefined {
    const key = name.toLowerCase();
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (now >= entry.expiresAt) return undefined;
    this.#entries.set(key, entry); // most recently used last
    return entry;
  }

  /** Keeps `addresses` for `ttlSeconds` (capped); a TTL of 0 is not kept at all. */
  put(now: number, name: string, addresses: readonly Ipv4Address[], ttlSeconds: number): void {
    const ttl = Math.min(ttlSeconds, this.maxTtlSeconds);
    if (ttl <= 0 || this.capacity === 0) return;
    const key = name.toLowerCase();
    this.#entries.delete(key);
    while (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { addresses, expiresAt: now + ttl * 1000 });
  }

  clear(): void { this.#entries.clear(); }
}
