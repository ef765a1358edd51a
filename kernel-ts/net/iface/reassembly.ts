/**
 * reassembly: IPv4 fragment reassembly (RFC 791 §3.2, RFC 815) with bounded memory.
 *
 * Fragments are keyed by (source, destination, protocol, identification). Bounds: at most
 * `totalBytes` of fragment data held across all datagrams, `datagrams` datagrams in
 * progress, `fragmentsPerDatagram` fragments each (tiny fragments cost more than their
 * bytes); a datagram not complete `timeoutMs` after its first fragment is discarded
 * (RFC 1122 §3.3.2 suggests 60–120 s; Linux uses 30 s). A fragment that overlaps another
 * differently, reaches past 65535 bytes, or disagrees about the end discards its whole
 * datagram (overlaps are how reassembly attacks work; RFC 5722 does the same for IPv6).
 * An exact duplicate is dropped alone.
 */

import type { Ipv4Packet } from "../wire/ipv4.ts";
import { IPV4_MAX_LEN } from "../wire/ipv4.ts";

export interface ReassemblyLimits {
  /** Default 256 KiB. */
  readonly totalBytes: number;
  /** Default 16. */
  readonly datagrams: number;
  /** Default 64. */
  readonly fragmentsPerDatagram: number;
  /** Default 30 s. */
  readonly timeoutMs: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = { totalBytes: 256 * 1024, datagrams: 16, fragmentsPerDatagram: 64, timeoutMs: 30_000 };

interface Fragment {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

interface Datagram {
  readonly fragments: Fragment[];
  bytes: number;
  /** The data length, once the fragment without MF arrived; else -1. */
  totalLen: number;
  /** A copy of the first fragment's header (for ICMP errors about the whole datagram). */
  header: Uint8Array | undefined;
  readonly expiresAt: number;
}

export interface Reassembled {
  /** The IP header of the fragment at offset 0 (options included), a copy. */
  readonly header: Uint8Array;
  /** The whole datagram's data. */
  readonly payload: Uint8Array;
  /** How many fragments it took. */
  readonly fragments: number;
}

/** What became of a fragment: held for later, the datagram it completed, or why it was dropped. */
export type FragmentOutcome = "held" | Reassembled | "overflow" | "invalid";

export interface ReassemblyCounts {
  /** Fragments thrown away after being held (timeouts, invalid later fragments). */
  discarded: number;
  timeouts: number;
}

export class Reassembler {
  readonly #datagrams = new Map<string, Datagram>();
  #bytes = 0;
  #fragments = 0;

  constructor(
    readonly limits: ReassemblyLimits,
    private readonly counts: ReassemblyCounts,
  ) {}

  /** Fragment data bytes held now, across all datagrams. */
  get bytesHeld(): number {
    return this.#bytes;
  }
  get fragmentsHeld(): number {
    return this.#fragments;
  }
  get datagramsInProgress(): number {
    return this.#datagrams.size;
  }

  /** Takes one fragment (a checked packet whose header checksum was verified). */
  add(packet: Ipv4Packet, now: number): FragmentOutcome {
    const data = packet.payload();
    const offset = packet.fragOffset;
    const more = packet.moreFrags;
    if ((more && data.length % 8 !== 0) || (more && data.length === 0) || offset + data.length > IPV4_MAX_LEN - packet.headerLen) return "invalid";
    const key = `${packet.srcAddr}/${packet.dstAddr}/${packet.protocol}/${packet.ident}`;
    let datagram = this.#datagrams.get(key);
    if (datagram === undefined) {
      if (this.#datagrams.size >= this.limits.datagrams) return "overflow";
      datagram = { fragments: [], bytes: 0, totalLen: -1, header: undefined, expiresAt: now + this.limits.timeoutMs };
      this.#datagrams.set(key, datagram);
    }
    const end = offset + data.length;
    if (!more && datagram.totalLen !== -1 && datagram.totalLen !== end) return this.#discard(key, datagram, "invalid");
    if (datagram.totalLen !== -1 && end > datagram.totalLen) return this.#discard(key, datagram, "invalid");
    if (!more && datagram.bytes > 0 && datagram.fragments.some((f) => f.offset + f.bytes.length > end)) return this.#discard(key, datagram, "invalid");
    for (const f of datagram.fragments) {
      const fEnd = f.offset + f.bytes.length;
      if (f.offset === offset && fEnd === end) return this.#dropEmpty(key, datagram, "invalid"); // a duplicate: ignore it alone
      if (offset < fEnd && f.offset < end) return this.#discard(key, datagram, "invalid");
    }
    if (datagram.fragments.length >= this.limits.fragmentsPerDatagram || this.#bytes + data.length > this.limits.totalBytes) return this.#dropEmpty(key, datagram, "overflow");
    datagram.fragments.push({ offset, bytes: data.slice() });
    datagram.bytes += data.length;
    this.#bytes += data.length;
    this.#fragments++;
    if (!more) datagram.totalLen = end;
    if (offset === 0) datagram.header = packet.header().slice();
    if (datagram.totalLen === -1 || datagram.bytes !== datagram.totalLen || datagram.header === undefined) return "held";
    // No overlaps and every byte counted: the fragments tile [0, totalLen).
    const payload = new Uint8Array(datagram.totalLen);
    for (const f of datagram.fragments) payload.set(f.bytes, f.offset);
    this.#forget(key, datagram);
    return { header: datagram.header, payload, fragments: datagram.fragments.length };
  }

  /** Discards datagrams past their timeout. */
  expire(now: number): void {
    if (this.#datagrams.size === 0) return; // every loop turn, almost always: no iterator to make
    for (const [key, datagram] of this.#datagrams) {
      if (datagram.expiresAt <= now) {
        this.counts.timeouts++;
        this.counts.discarded += datagram.fragments.length;
        this.#forget(key, datagram);
      }
    }
  }

  /** The next timeout, or Infinity. */
  pollAt(): number {
    if (this.#datagrams.size === 0) return Infinity; // the common case, without an iterator
    let at = Infinity;
    for (const datagram of this.#datagrams.values()) at = Math.min(at, datagram.expiresAt);
    return at;
  }

  #discard(key: string, datagram: Datagram, why: "invalid"): "invalid" {
    this.counts.discarded += datagram.fragments.length;
    this.#forget(key, datagram);
    return why;
  }

  /** Drops only the new fragment; a datagram entry made for it alone goes too. */
  #dropEmpty<T extends "invalid" | "overflow">(key: string, datagram: Datagram, why: T): T {
    if (datagram.fragments.length === 0) this.#datagrams.delete(key);
    return why;
  }

  #forget(key: string, datagram: Datagram): void {
    this.#bytes -= datagram.bytes;
    this.#fragments -= datagram.fragments.length;
    this.#datagrams.delete(key);
  }
}
