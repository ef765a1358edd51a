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
import { MessageTooLong, SocketClosed, WouldBlock } from "./errors.ts";
import { QueuedSocket } from "./queued_socket.ts";

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

export class UdpSocket extends QueuedSocket<UdpDatagram, UdpOutgoing> {
  readonly stats: Readonly<UdpSocketStats>;
  readonly #stats: UdpSocketStats = { rxDatagrams: 0, rxBytes: 0, rxQueueDrops: 0, txDatagrams: 0, txBytes: 0, txQueueFull: 0, txDrops: 0 };

  /** Use SocketSet.bindUdp. */
  constructor(readonly port: number, options: UdpSocketOptions, onClose: (socket: UdpSocket) => void) {
    super(options, () => onClose(this));
    this.stats = this.#stats;
  }

  /** Queues a copy of `bytes` for `to`; undefined when queued. */
  send(to: UdpEndpoint, bytes: Uint8Array): undefined | WouldBlock | MessageTooLong | SocketClosed {
    if (this.closed) return new SocketClosed(`udp port ${this.port}`);
    if (bytes.length > UDP_MAX_PAYLOAD) return new MessageTooLong(bytes.length, UDP_MAX_PAYLOAD);
    if (!Number.isInteger(to.port) || to.port < 1 || to.port > 0xffff) throw new RangeError(`Cannot send to udp port ${to.port}: not 1–65535`);
    if (!this.tx.push({ to: { address: to.address >>> 0, port: to.port }, bytes: bytes.slice() })) {
      this.#stats.txQueueFull++;
      return new WouldBlock(`a udp datagram on port ${this.port}`);
    }
    return undefined;
  }

  /** Interface: a datagram arrived (`payload` is a view into the frame: copied). False when the queue is full. */
  deliver(from: UdpEndpoint, to: Ipv4Address, payload: Uint8Array): boolean {
    if (this.closed || !this.rx.push({ from, to, bytes: payload.slice() })) {
      this.#stats.rxQueueDrops++;
      return false;
    }
    this.#stats.rxDatagrams++;
    this.#stats.rxBytes += payload.length;
    return true;
  }

  protected override countSent(datagram: UdpOutgoing): void {
    this.#stats.txDatagrams++;
    this.#stats.txBytes += datagram.bytes.length;
  }

  /** A queued datagram the interface could not send (counted in txDrops). */
  protected override countDropped(): void {
    this.#stats.txDrops++;
  }
}
