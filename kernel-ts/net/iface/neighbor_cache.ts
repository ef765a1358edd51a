/**
 * neighbor_cache: the ARP cache (RFC 826) and the packets waiting for a resolution.
 *
 * Entries live `entryTimeoutMs` after they were last confirmed; the table holds at most
 * `entries` (the least recently confirmed goes first: a Map keeps insertion order and a
 * confirmation re-inserts). A packet for an unresolved neighbour waits in that
 * neighbour's queue, at most `pendingPerNeighbor` packets and `pendingNeighbors`
 * neighbours; a request is sent at once and retried after 1 s, 2 s, 4 s… (doubling) up to
 * `requests` in all; when the last goes unanswered the waiting packets are dropped and
 * counted. Time is passed in (milliseconds).
 */

import type { Ipv4Address } from "../contracts.ts";
import type { MacAddress } from "../wire/ethernet.ts";

export interface NeighborLimits {
  /** Resolved entries kept at most; default 256. */
  readonly entries: number;
  /** How long a resolution is trusted; default 60 s. */
  readonly entryTimeoutMs: number;
  /** Packets waiting per unresolved neighbour; default 16. */
  readonly pendingPerNeighbor: number;
  /** Unresolved neighbours with packets waiting; default 32. */
  readonly pendingNeighbors: number;
  /** ARP requests sent before giving up; default 3. */
  readonly requests: number;
  /** Wait after the first request; doubled after each; default 1000 ms. */
  readonly firstRetryMs: number;
}

export const DEFAULT_NEIGHBOR_LIMITS: NeighborLimits = { entries: 256, entryTimeoutMs: 60_000, pendingPerNeighbor: 16, pendingNeighbors: 32, requests: 3, firstRetryMs: 1000 };

interface Entry {
  readonly mac: MacAddress;
  readonly expiresAt: number;
}

interface Pending {
  readonly packets: Uint8Array[];
  /** Requests sent so far. */
  sent: number;
  /** When the next request is due (or, after the last, when to give up). */
  dueAt: number;
}

export class NeighborCache {
  readonly #entries = new Map<Ipv4Address, Entry>();
  readonly #pending = new Map<Ipv4Address, Pending>();
  #pendingPackets = 0;

  constructor(readonly limits: NeighborLimits = DEFAULT_NEIGHBOR_LIMITS) {}

  /** The neighbour's MAC if resolved and not expired. */
  lookup(ip: Ipv4Address, now: number): MacAddress | undefined {
    const entry = this.#entries.get(ip);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(ip);
      return undefined;
    }
    return entry.mac;
  }

  has(ip: Ipv4Address): boolean {
    return this.#entries.has(ip) || this.#pending.has(ip);
  }

  /** Records `ip` at `mac`; returns the packets that waited for it (to send now). */
  fill(ip: Ipv4Address, mac: MacAddress, now: number): Uint8Array[] {
    this.#entries.delete(ip);
    if (this.#entries.size >= this.limits.entries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(ip, { mac, expiresAt: now + this.limits.entryTimeoutMs });
    const pending = this.#pending.get(ip);
    if (pending === undefined) return [];
    this.#pending.delete(ip);
    this.#pendingPackets -= pending.packets.length;
    return pending.packets;
  }

  /** Keeps `packet` until `ip` resolves; false (not kept) when a bound is reached. */
  enqueue(ip: Ipv4Address, packet: Uint8Array, now: number): boolean {
    let pending = this.#pending.get(ip);
    if (pending === undefined) {
      if (this.#pending.size >= this.limits.pendingNeighbors) return false;
      pending = { packets: [], sent: 0, dueAt: now };
      this.#pending.set(ip, pending);
    }
    if (pending.packets.length >= this.limits.pendingPerNeighbor) return false;
    pending.packets.push(packet);
    this.#pendingPackets++;
    return true;
  }

  /** Neighbours whose next request is due now (the caller sends, then calls requestSent). */
  requestsDue(now: number): Ipv4Address[] {
    const due: Ipv4Address[] = [];
    for (const [ip, pending] of this.#pending) if (pending.sent < this.limits.requests && pending.dueAt <= now) due.push(ip);
    return due;
  }

  /** A request for `ip` went out: the next is due after the doubled wait. */
  requestSent(ip: Ipv4Address, now: number): void {
    const pending = this.#pending.get(ip);
    if (pending === undefined) return;
    pending.dueAt = now + this.limits.firstRetryMs * 2 ** pending.sent;
    pending.sent++;
  }

  /** Gives up on neighbours whose last request went unanswered; returns the packets dropped. */
  expire(now: number): number {
    if (this.#pending.size === 0) return 0; // every loop turn, almost always: no iterator to make
    let dropped = 0;
    for (const [ip, pending] of this.#pending) {
      if (pending.sent >= this.limits.requests && pending.dueAt <= now) {
        dropped += pending.packets.length;
        this.#pendingPackets -= pending.packets.length;
        this.#pending.delete(ip);
      }
    }
    return dropped;
  }

  /** The next time a request or a give-up is due, or Infinity. */
  pollAt(): number {
    if (this.#pending.size === 0) return Infinity; // the common case, without an iterator
    let at = Infinity;
    for (const pending of this.#pending.values()) at = Math.min(at, pending.dueAt);
    return at;
  }

  /** Sizes, for tests and memory checks. */
  get sizes(): { entries: number; pendingNeighbors: number; pendingPackets: number; largestPending: number } {
    let largest = 0;
    for (const pending of this.#pending.values()) largest = Math.max(largest, pending.packets.length);
    return { entries: this.#entries.size, pendingNeighbors: this.#pending.size, pendingPackets: this.#pendingPackets, largestPending: largest };
  }
}
