/**
 * socket_set: the UDP and ICMP sockets an interface serves (smoltcp's SocketSet). It owns
 * the tables — UDP port → socket, ICMP echo identifier → socket — so a port is bound
 * once, and the interface finds the socket for a datagram with one lookup.
 *
 * Port 0 asks for an ephemeral port from 49152–65535 (RFC 6335 §6), chosen at random
 * when the set has a RandomFill (RFC 6056: DNS and DHCP answers are then harder to
 * forge), else the next free one in turn.
 */

import type { RandomFill } from "../contracts.ts";
import { AddressInUse } from "./errors.ts";
import { IcmpSocket, type IcmpSocketOptions } from "./icmp_socket.ts";
import { UdpSocket, type UdpSocketOptions } from "./udp_socket.ts";

const EPHEMERAL_FIRST = 49_152;
const EPHEMERAL_COUNT = 65_536 - EPHEMERAL_FIRST;

export interface SocketSetOptions {
  readonly randomFill?: RandomFill;
}

export class SocketSet {
  readonly #udp = new Map<number, UdpSocket>();
  readonly #icmp = new Map<number, IcmpSocket>();
  /** The sockets of both maps, for hasOutgoing: an indexed loop, no iterator per call (it runs every loop turn). */
  readonly #all: Array<UdpSocket | IcmpSocket> = [];
  readonly #randomFill: RandomFill | undefined;
  #nextEphemeral = 0;

  constructor(options: SocketSetOptions = {}) {
    this.#randomFill = options.randomFill;
  }

  /** A UDP socket on `port` (0: an ephemeral port), or AddressInUse. */
  bindUdp(port: number, options: UdpSocketOptions = {}): UdpSocket | AddressInUse {
    if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError(`Cannot bind udp port ${port}: not 0–65535`);
    if (port === 0) {
      const free = this.#ephemeralPort();
      if (free === undefined) return new AddressInUse("an ephemeral udp port (all are bound)");
      port = free;
    }
    if (this.#udp.has(port)) return new AddressInUse(`udp port ${port}`);
    const socket = new UdpSocket(port, options, (closed) => {
      if (this.#udp.get(closed.port) === closed) this.#udp.delete(closed.port);
      this.#forget(closed);
    });
    this.#udp.set(port, socket);
    this.#all.push(socket);
    return socket;
  }

  /** An ICMP echo socket with identifier `ident` (0–65535), or AddressInUse. */
  bindIcmp(ident: number, options: IcmpSocketOptions = {}): IcmpSocket | AddressInUse {
    if (!Number.isInteger(ident) || ident < 0 || ident > 0xffff) throw new RangeError(`Cannot bind icmp ident ${ident}: not 0–65535`);
    if (this.#icmp.has(ident)) return new AddressInUse(`icmp ident ${ident}`);
    const socket = new IcmpSocket(ident, options, (closed) => {
      if (this.#icmp.get(closed.ident) === closed) this.#icmp.delete(closed.ident);
      this.#forget(closed);
    });
    this.#icmp.set(ident, socket);
    this.#all.push(socket);
    return socket;
  }

  /** The UDP socket bound to `port`, if any. */
  udp(port: number): UdpSocket | undefined {
    return this.#udp.get(port);
  }

  /** The ICMP socket with echo identifier `ident`, if any. */
  icmp(ident: number): IcmpSocket | undefined {
    return this.#icmp.get(ident);
  }

  udpSockets(): IterableIterator<UdpSocket> {
    return this.#udp.values();
  }

  icmpSockets(): IterableIterator<IcmpSocket> {
    return this.#icmp.values();
  }

  /** True when some socket has something queued to send. */
  hasOutgoing(): boolean {
    const all = this.#all;
    for (let i = 0; i < all.length; i++) if (all[i]!.txQueued > 0) return true;
    return false;
  }

  #forget(socket: UdpSocket | IcmpSocket): void {
    const at = this.#all.indexOf(socket);
    if (at >= 0) this.#all.splice(at, 1);
  }

  #ephemeralPort(): number | undefined {
    let start = this.#nextEphemeral;
    if (this.#randomFill !== undefined) {
      const bytes = new Uint8Array(2);
      this.#randomFill(bytes);
      start = ((bytes[0]! << 8) | bytes[1]!) % EPHEMERAL_COUNT;
    }
    for (let i = 0; i < EPHEMERAL_COUNT; i++) {
      const port = EPHEMERAL_FIRST + ((start + i) % EPHEMERAL_COUNT);
      if (!this.#udp.has(port)) {
        this.#nextEphemeral = (port - EPHEMERAL_FIRST + 1) % EPHEMERAL_COUNT;
        return port;
      }
    }
    return undefined;
  }
}
