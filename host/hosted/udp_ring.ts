/**
 * udp_ring: the memory shared between a hosted platform's thread (the kernel's) and the
 * worker thread that owns its UDP socket (udp_worker_source.ts).
 *
 * Why a worker: the kernel sleeps in `wait` with Atomics.wait, which stops the thread's
 * event loop, so a dgram socket on that thread would never see a datagram while the kernel
 * sleeps. The worker's event loop keeps running: it copies each datagram into a ring of
 * fixed-size slots in a SharedArrayBuffer, bumps an event counter and Atomics.notify()s it,
 * which wakes the kernel's Atomics.wait on that same counter.
 *
 * One producer (the worker) and one consumer (the kernel thread). RX_WRITTEN and RX_READ
 * count frames and only grow (modulo 2^32, Int32 wrap-around); the slot of frame n is
 * n & (slots - 1), so `slots` is a power of two. The worker writes a slot's bytes and
 * length before it stores RX_WRITTEN, and the kernel reads them only after it loads
 * RX_WRITTEN: Atomics operations are sequentially consistent, which orders the plain
 * reads and writes around them. A datagram that finds the ring full is dropped and
 * counted, as a NIC drops a frame when no receive buffer is posted.
 *
 * Transmit goes the other way by postMessage (it queues without the kernel thread's event
 * loop); TX_DONE counts frames the worker finished sending, which bounds the frames in
 * flight, and TX_BLOCKED asks the worker to bump EVENTS when room frees up.
 */

/** Indices of the Int32 control cells. */
export const Cell = {
  /** Frames the worker has put into the ring. */
  RxWritten: 0,
  /** Frames the kernel thread has taken out of it. */
  RxRead: 1,
  /** Datagrams dropped because the ring was full. */
  RxRingFull: 2,
  /** Datagrams dropped because they were longer than a slot. */
  RxOversize: 3,
  /** Bumped (and notified) on every received frame and when transmit room frees up. */
  Events: 4,
  /** Frames the worker has finished sending (or failed to). */
  TxDone: 5,
  /** 1 while the kernel thread waits for transmit room. */
  TxBlocked: 6,
  /** 0 starting, 1 the socket is bound, 2 it could not be. */
  State: 7,
  /** Sends that failed (counted, like a NIC's transmit errors). */
  TxErrors: 8,
} as const;

const CELLS = 16;

export const SocketState = { Starting: 0, Bound: 1, Failed: 2 } as const;

export interface UdpRingBuffers {
  readonly control: SharedArrayBuffer;
  readonly lengths: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
  readonly slots: number;
  readonly slotBytes: number;
}

export function makeRingBuffers(slots: number, slotBytes: number): UdpRingBuffers {
  if (!Number.isInteger(slots) || slots < 1 || (slots & (slots - 1)) !== 0) throw new RangeError(`Cannot make a ring of ${slots} slots: not a power of two`);
  return {
    control: new SharedArrayBuffer(CELLS * 4),
    lengths: new SharedArrayBuffer(slots * 4),
    data: new SharedArrayBuffer(slots * slotBytes),
    slots,
    slotBytes,
  };
}
