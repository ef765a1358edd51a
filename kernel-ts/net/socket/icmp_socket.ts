/**
 * icmp_socket: ICMP echo (RFC 792) for a ping utility. The socket owns one echo
 * identifier: `sendEcho` queues an echo request with that identifier, and the echo
 * replies carrying it arrive in `receive`. Round-trip times are the caller's: put a
 * timestamp in the data, or remember when each sequence number left. Bounded queues, as
 * for UDP.
 */

import type { Ipv4Address } from "../contracts.ts";
import { MessageTooLong, SocketClosed, WouldBlock } from "./errors.ts";
import { QueuedSocket } from "./queued_socket.ts";

/** The largest echo data IPv4 can carry: 65535 − 20 (IP) − 8 (ICMP). */
export const ICMP_MAX_ECHO_DATA = 65_507;

export interface IcmpSocketOptions {
  /** Replies received and not yet taken; default 64 (and 256 KiB). */
  readonly rxQueueLimit?: number;
  /** Requests queued for sending; default 64 (and 256 KiB). */
  readonly txQueueLimit?: number;
}

export interface EchoReply {
  readonly from: Ipv4Address;
  readonly seqNo: number;
  readonly bytes: Uint8Array;
}

export interface EchoRequest {
  readonly to: Ipv4Address;
  readonly seqNo: number;
  readonly bytes: Uint8Array;
}

export interface IcmpSocketStats {
  rxReplies: number;
  rxQueueDrops: number;
  txRequests: number;
  txQueueFull: number;
  txDrops: number;
}

export class IcmpSocket extends QueuedSocket<EchoReply, EchoRequest> {
  readonly #stats: IcmpSocketStats = { rxReplies: 0, rxQueueDrops: 0, txRequests: 0, txQueueFull: 0, txDrops: 0 };
  readonly stats: Readonly<IcmpSocketStats> = this.#stats;

  /** Use SocketSet.bindIcmp. */
  constructor(readonly ident: number, options: IcmpSocketOptions, onClose: (socket: IcmpSocket) => void) {
    super(options, () => onClose(this));
  }

  /** Queues an echo request to `to` with this socket's identifier; undefined when queued. */
  sendEcho(to: Ipv4Address, seqNo: number, data: Uint8Array): undefined | WouldBlock | MessageTooLong | SocketClosed {
    if (this.closed) return new SocketClosed(`icmp ident ${this.ident}`);
    if (data.length > ICMP_MAX_ECHO_DATA) return new MessageTooLong(data.length, ICMP_MAX_ECHO_DATA);
    if (!this.tx.push({ to: to >>> 0, seqNo: seqNo & 0xffff, bytes: data.slice() })) {
      this.#stats.txQueueFull++;
      return new WouldBlock(`an echo request with ident ${this.ident}`);
    }
    return undefined;
  }

  /** Interface: an echo reply with our identifier arrived (data copied). */
  deliver(from: Ipv4Address, seqNo: number, data: Uint8Array): boolean {
    if (this.closed || !this.rx.push({ from, seqNo, bytes: data.slice() })) {
      this.#stats.rxQueueDrops++;
      return false;
    }
    this.#stats.rxReplies++;
    return true;
  }

  protected override countSent(): void {
    this.#stats.txRequests++;
  }

  protected override countDropped(): void {
    this.#stats.txDrops++;
  }
}
