/**
 * byte_ring: a bounded byte queue as plain data (a Uint8Array and three numbers), for the
 * send and receive buffers. Plain data so a TCB survives a code swap; bounded so no peer
 * or app can grow memory: push takes what fits under `limit` and says how much.
 *
 * The storage grows on demand (doubling, from nothing) up to the limit and is released
 * when the connection no longer needs it (ringRelease): a half-open connection from a
 * SYN flood, or one of the hundreds in TIME-WAIT on a busy server, holds no buffer.
 */

export interface ByteRing {
  /** Storage; its length is the current capacity (≤ limit). */
  bytes: Uint8Array;
  /** Index of the first queued byte. */
  head: number;
  length: number;
  /** The most bytes the ring will hold (the socket buffer size). */
  limit: number;
}

const FIRST_CAPACITY = 4096;
/** The storage of every empty ring: zero bytes, so nothing writes to it, and one array for all. */
const NO_BYTES = new Uint8Array(0);

export function ringCreate(limit: number): ByteRing {
  return { bytes: NO_BYTES, head: 0, length: 0, limit };
}

/** Bytes it can still take. (Written out in the kernel bundle: host/build/inline.ts.) */
export function ringFree(ring: ByteRing): number {
  return ring.limit - ring.length;
}

/** The storage, once empty, goes back to the allocator. */
export function ringRelease(ring: ByteRing): void {
  if (ring.length === 0) {
    ring.bytes = NO_BYTES;
    ring.head = 0;
  }
}

/** Makes room for `needed` bytes in all, keeping the queued ones (in order, from index 0). */
function grow(ring: ByteRing, needed: number): void {
  let capacity = Math.max(ring.bytes.length, FIRST_CAPACITY);
  while (capacity < needed) capacity *= 2;
  capacity = Math.min(capacity, ring.limit);
  const bytes = new Uint8Array(capacity);
  if (ring.length > 0) ringCopy(ring, 0, ring.length, bytes, 0);
  ring.bytes = bytes;
  ring.head = 0;
}

/** Appends as much of `source` as fits; returns how many bytes were taken. */
export function ringPush(ring: ByteRing, source: Uint8Array): number {
  const room = ring.limit - ring.length; // compared, not Math.min: every write (rcv.ts says why)
  const wanted = source.length < room ? source.length : room;
  if (ring.length + wanted > ring.bytes.length) grow(ring, ring.length + wanted);
  const capacity = ring.bytes.length;
  const count = wanted;
  let tail = (ring.head + ring.length) % capacity;
  if (count === source.length && tail + count <= capacity) {
    ring.bytes.set(source, tail); // all of it, in one piece: no view to make
    ring.length += count;
    return count;
  }
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
    const left = count - done;
    const chunk = left < capacity - from ? left : capacity - from;
    out.set(ring.bytes.subarray(from, from + chunk), at + done);
    done += chunk;
    from = (from + chunk) % capacity;
  }
}

/**
 * `count` bytes starting `offset` bytes after the head: a view into the storage when they
 * are contiguous (valid until the ring next changes), else a copy.
 */
export function ringView(ring: ByteRing, offset: number, count: number): Uint8Array {
  const capacity = ring.bytes.length;
  const from = (ring.head + offset) % capacity;
  if (from + count <= capacity) return ring.bytes.subarray(from, from + count);
  const out = new Uint8Array(count);
  ringCopy(ring, offset, count, out, 0);
  return out;
}

/** Drops `count` bytes from the head. */
export function ringDrop(ring: ByteRing, count: number): void {
  const n = count < ring.length ? count : ring.length;
  ring.head = ring.length === n ? 0 : (ring.head + n) % ring.bytes.length;
  ring.length -= n;
}

/** Removes and returns up to `max` bytes from the head (a copy). */
export function ringRead(ring: ByteRing, max: number): Uint8Array {
  const count = max < ring.length ? max : ring.length;
  const out = new Uint8Array(count);
  ringCopy(ring, 0, count, out, 0);
  ringDrop(ring, count);
  return out;
}
