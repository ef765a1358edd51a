/**
 * udp_socket: a UDP socket bound to a local port (RFC 768). Synchronous and time-free:
 * `send` queues a copy of the datagram, the interface's poll takes it from the queue and
 * sends it; the interface's poll puts received datagrams in the receive queue, `receive`
 * takes them. Both queues are bounded in datagrams and bytes; what does not fit is
 * refused (send: WouldBlock) or dropped and counted (receive: rxQueueDrops).
 *
 * Made by SocketSet.bindUdp, which owns the port table. The methods marked "interface"
 * are the interface's side; apps use send, receive, close and stats.
 */

import type { Ipv4Address, UdpEndpoint } from "../contracts.ts";
import { DatagramQueue } from "./datagram_queue.ts";
import { MessageTooLong, SocketClosed, WouldBlock } from "./errors.ts";

/** The largest UDP payload IPv4 can carry: 65535 − 20 (IP) − 8 (UDP). */
export const UDP_MAX_PAYLOAD = 65_507;

export interface UdpSocketOptions {
  /** Datagrams received and not yet taken; default 64. */
  readonly rxQueueLimit?: number;
  /** Bytes of those; default 256 KiB. */
  readonly rxByteLimit?: number;
  /** Datagrams queued for sending; default 64. */
  readonly txQueueLimit?: number;
  /** Bytes of those; default 256 KiB. */
  readonly txByteLimit?: number;
}

export interface UdpDatagram {
  readonly from: UdpEndpoint;
  /** The destination address it was sent to (ours, or a broadcast address). */
  readonly to: Ipv4Address;
  readonly bytes: Uint8Array;
}

export interface UdpOutgoing {
  readonly to: UdpEndpoint;
  readonly bytes: Uint8Array;
}

export interface UdpSocketStats {
  rxDatagrams: number;
  rxBytes: number;
  /** Received datagrams dropped because the receive queue was full. */
  rxQueueDrops: number;
  txDatagrams: number;
  txBytes: number;
  /** send() calls refused because the send queue was full. */
  txQueueFull: number;
  /** Queued datagrams the interface could not send (no route, no address, ARP failed). */
  txDrops: number;
}

export class UdpSocket {
  readonly #rx: DatagramQueue<UdpDatagram>;
  readonly #tx: DatagramQueue<UdpOutgoing>;
  readonly #onClose: (socket: UdpSocket) => void;
  #closed = false;
  readonly stats: Readonly<UdpSocketStats>;
  readonly #stats: UdpSocketStats = { rxDatagrams: 0, rxBytes: 0, rxQueueDrops: 0, txDatagrams: 0, txBytes: 0, txQueueFull: 0, txDrops: 0 };

  /** Use SocketSet.bindUdp. */
  constructor(readonly port: number, options: UdpSocketOptions, onClose: (socket: UdpSocket) => void) {
    this.#rx = new DatagramQueue(options.rxQueueLimit ?? 64, options.rxByteLimit ?? 256 * 1024);
    this.#tx = new DatagramQueue(options.txQueueLimit ?? 64, options.txByteLimit ?? 256 * 1024);
    this.#onClose = onClose;
    this.stats = this.#stats;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues a copy of `bytes` for `to`; undefined when queued. */
  send(to: UdpEndpoint, bytes: Uint8Array): undefined | WouldBlock | MessageTooLong | SocketClosed {
    if (this.#closed) return new SocketClosed(`udp port ${this.port}`);
    if (bytes.length > UDP_MAX_PAYLOAD) return new MessageTooLong(bytes.length, UDP_MAX_PAYLOAD);
    if (!Number.isInteger(to.port) || to.port < 1 || to.port > 0xffff) throw new RangeError(`Cannot send to udp port ${to.port}: not 1–65535`);
    if (!this.#tx.push({ to: { address: to.address >>> 0, port: to.port }, bytes: bytes.slice() })) {
      this.#stats.txQueueFull++;
      return new WouldBlock(`a udp datagram on port ${this.port}`);
    }
    return undefined;
  }

  /** The oldest received datagram, or undefined. */
  receive(): UdpDatagram | undefined {
    return this.#rx.shift();
  }

  /** Datagrams waiting in the receive queue. */
  get rxQueued(): number {
    return this.#rx.length;
  }

  /** Datagrams waiting in the send queue. */
  get txQueued(): number {
    return this.#tx.length;
  }

  /** Bytes waiting in each queue (for memory checks). */
  get queuedBytes(): { rx: number; tx: number } {
    return { rx: this.#rx.bytes, tx: this.#tx.bytes };
  }

  /** Frees the port and both queues; later calls see SocketClosed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rx.clear();
    this.#tx.clear();
    this.#onClose(this);
  }

  /** Interface: a datagram arrived (`payload` is a view into the frame: copied). False when the queue is full. */
  deliver(from: UdpEndpoint, to: Ipv4Address, payload: Uint8Array): boolean {
    if (this.#closed || !this.#rx.push({ from, to, bytes: payload.slice() })) {
      this.#stats.rxQueueDrops++;
      return false;
    }
    this.#stats.rxDatagrams++;
    this.#stats.rxBytes += payload.length;
    return true;
  }

  /** Interface: the next datagram to send, left in the queue until sent() or dropped(). */
  peekOutgoing(): UdpOutgoing | undefined {
    return this.#tx.peek();
  }

  /** Interface: the datagram from peekOutgoing went out. */
  sent(): void {
    const sent = this.#tx.shift();
    if (sent === undefined) return;
    this.#stats.txDatagrams++;
    this.#stats.txBytes += sent.bytes.length;
  }

  /** Interface: the datagram from peekOutgoing cannot be sent (counted in txDrops). */
  dropped(): void {
    if (this.#tx.shift() !== undefined) this.#stats.txDrops++;
  }
}
