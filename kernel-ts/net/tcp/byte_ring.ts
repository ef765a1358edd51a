/**
 * byte_ring: a bounded byte queue as plain data (a Uint8Array and two numbers), for the
 * send and receive buffers. Plain data so a TCB survives a code swap; bounded so no peer
 * or app can grow memory: push takes what fits and says how much.
 */

export interface ByteRing {
  bytes: Uint8Array;
  /** Index of the first queued byte. */
  head: number;
  length: number;
}

export function ringCreate(capacity: number): ByteRing {
  return { bytes: new Uint8Array(capacity), head: 0, length: 0 };
}

export function ringFree(ring: ByteRing): number {
  return ring.bytes.length - ring.length;
}

/** Appends as much of `source` as fits; returns how many bytes were taken. */
export function ringPush(ring: ByteRing, source: Uint8Array): number {
  const capacity = ring.bytes.length;
  const count = Math.min(source.length, capacity - ring.length);
  let tail = (ring.head + ring.length) % capacity;
  let done = 0;
  while (done < count) {
    const chunk = Math.min(count - done, capacity - tail);
    ring.bytes.set(source.subarray(done, done + chunk), tail);
    done += chunk;
    tail = (tail + chunk) % capacity;
  }
  ring.length += count;
  return count;
}

/** Copies `count` bytes starting `offset` bytes after the head into `out` at `at`. */
export function ringCopy(ring: ByteRing, offset: number, count: number, out: Uint8Array, at: number): void {
  const capacity = ring.bytes.length;
  let from = (ring.head + offset) % capacity;
  let done = 0;
  while (done < count) {
    const chunk = Math.min(count - done, capacity - from);
    out.set(ring.bytes.subarray(from, from + chunk), at + done);
    done += chunk;
    from = (from + chunk) % capacity;
  }
}

/** Drops `count` bytes from the head. */
export function ringDrop(ring: ByteRing, count: number): void {
  const n = Math.min(count, ring.length);
  ring.head = ring.length === n ? 0 : (ring.head + n) % ring.bytes.length;
  ring.length -= n;
}

/** Removes and returns up to `max` bytes from the head (a copy). */
export function ringRead(ring: ByteRing, max: number): Uint8Array {
  const count = Math.min(max, ring.length);
  const out = new Uint8Array(count);
  ringCopy(ring, 0, count, out, 0);
  ringDrop(ring, count);
  return out;
}
