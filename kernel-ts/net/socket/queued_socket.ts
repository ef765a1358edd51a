/**
 * queued_socket: what UDP and ICMP sockets share — a bounded receive queue the interface
 * fills (deliver), a bounded send queue it drains (peekOutgoing, then sent or dropped),
 * and close(), which empties both and frees the port or identifier. Subclasses add the
 * protocol's send and deliver and count their own statistics.
 */

import { DatagramQueue } from "./datagram_queue.ts";

const QUEUE_BYTES = 256 * 1024;

export interface QueueLimits {
  readonly rxQueueLimit?: number;
  readonly rxByteLimit?: number;
  readonly txQueueLimit?: number;
  readonly txByteLimit?: number;
}

export abstract class QueuedSocket<Incoming extends { readonly bytes: Uint8Array }, Outgoing extends { readonly bytes: Uint8Array }> {
  protected readonly rx: DatagramQueue<Incoming>;
  protected readonly tx: DatagramQueue<Outgoing>;
  readonly #onClose: () => void;
  #closed = false;

  constructor(limits: QueueLimits, onClose: () => void) {
    this.rx = new DatagramQueue(limits.rxQueueLimit ?? 64, limits.rxByteLimit ?? QUEUE_BYTES);
    this.tx = new DatagramQueue(limits.txQueueLimit ?? 64, limits.txByteLimit ?? QUEUE_BYTES);
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The oldest received datagram, or undefined. */
  receive(): Incoming | undefined {
    return this.rx.shift();
  }

  /** Datagrams waiting in the receive queue. */
  get rxQueued(): number {
    return this.rx.length;
  }

  /** Datagrams waiting in the send queue. */
  get txQueued(): number {
    return this.tx.length;
  }

  /** Bytes waiting in each queue (for memory checks). */
  get queuedBytes(): { rx: number; tx: number } {
    return { rx: this.rx.bytes, tx: this.tx.bytes };
  }

  /** Frees the port (or identifier) and both queues; later sends see SocketClosed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.rx.clear();
    this.tx.clear();
    this.#onClose();
  }

  /** Interface: the next datagram to send, left in the queue until sent() or dropped(). */
  peekOutgoing(): Outgoing | undefined {
    return this.tx.peek();
  }

  /** Interface: the datagram from peekOutgoing went out. */
  sent(): void {
    const sent = this.tx.shift();
    if (sent !== undefined) this.countSent(sent);
  }

  /** Interface: the datagram from peekOutgoing cannot be sent (counted). */
  dropped(): void {
    if (this.tx.shift() !== undefined) this.countDropped();
  }

  protected abstract countSent(datagram: Outgoing): void;
  protected abstract countDropped(): void;
}
