/**
 * byte_ring: a byte stream between two threads of one process through a SharedArrayBuffer —
 * the hosted kernel's channel device (hosted_channel.ts) and `skiff dev --hosted`, which runs
 * that kernel in a worker thread. One writer, one reader. WRITTEN and READ count bytes and
 * only grow, modulo 2^32 (Int32 wrap-around, as udp_ring.ts counts frames); the capacity is a
 * power of two, so byte n lives at n & (capacity - 1) across the wrap. The writer copies its bytes before it stores WRITTEN, the reader reads them
 * only after it loads WRITTEN, and each side bumps the EVENTS cell and notifies it when it
 * stores, which wakes a peer sleeping in Atomics.wait on it (Atomics orders the plain copies
 * around the counter updates). EVENTS is an Int32 cell the ring shares with whoever sleeps on
 * it: several rings may notify one cell.
 */

const WRITTEN = 0;
const READ = 1;

export interface ByteRingShared {
  /** [written, read] byte counts. */
  readonly counters: SharedArrayBuffer;
  readonly bytes: SharedArrayBuffer;
  /** The cell a sleeping peer waits on. */
  readonly events: SharedArrayBuffer;
}

export function newByteRing(capacity: number, events: SharedArrayBuffer = new SharedArrayBuffer(4)): ByteRingShared {
  if (!(capacity >= 2 && capacity <= 2 ** 30 && (capacity & (capacity - 1)) === 0)) throw new RangeError(`Cannot make a byte ring of ${capacity} bytes: not a power of two from 2 to 2^30`);
  return { counters: new SharedArrayBuffer(8), bytes: new SharedArrayBuffer(capacity), events };
}

export class ByteRing {
  readonly #counts: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #events: Int32Array;

  constructor(shared: ByteRingShared) {
    this.#counts = new Int32Array(shared.counters);
    this.#bytes = new Uint8Array(shared.bytes);
    this.#events = new Int32Array(shared.events);
  }

  get capacity(): number {
    return this.#bytes.length;
  }

  /** Bytes waiting to be read. */
  get available(): number {
    return (Atomics.load(this.#counts, WRITTEN) - Atomics.load(this.#counts, READ)) | 0;
  }

  /** Copies as much of `bytes` as fits; returns how much (0 when full). */
  write(bytes: Uint8Array): number {
    const written = Atomics.load(this.#counts, WRITTEN);
    const room = this.capacity - ((written - Atomics.load(this.#counts, READ)) | 0);
    const count = Math.min(room, bytes.length);
    const mask = this.capacity - 1;
    for (let i = 0; i < count; i++) this.#bytes[(written + i) & mask] = bytes[i]!;
    if (count > 0) {
      Atomics.store(this.#counts, WRITTEN, (written + count) | 0);
      this.#notify();
    }
    return count;
  }

  /** Takes up to `max` waiting bytes (none: an empty array). */
  read(max = Infinity): Uint8Array {
    const read = Atomics.load(this.#counts, READ);
    const count = Math.min((Atomics.load(this.#counts, WRITTEN) - read) | 0, max);
    const out = new Uint8Array(count);
    const mask = this.capacity - 1;
    for (let i = 0; i < count; i++) out[i] = this.#bytes[(read + i) & mask]!;
    if (count > 0) {
      Atomics.store(this.#counts, READ, (read + count) | 0);
      this.#notify();
    }
    return out;
  }

  #notify(): void {
    Atomics.add(this.#events, 0, 1);
    Atomics.notify(this.#events, 0);
  }
}
