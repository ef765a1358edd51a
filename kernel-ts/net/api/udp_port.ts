/**
 * udp_port: UdpPort, the app's UDP socket (skiff:net `bindUdp`): send() queues a datagram
 * (copied) for the next turn, receive() resolves with the next datagram that arrives. A
 * port keeps the machine running while a receive() waits.
 */

import type { UdpSocket } from "../socket/udp_socket.ts";
import type { NetStack } from "../stack/net_stack.ts";
import { formatIpv4, parseIpv4 } from "../wire/ipv4_address.ts";
import { WireError } from "../wire/error.ts";
import type { SocketAddress } from "./connection.ts";

export interface Datagram {
  readonly from: SocketAddress;
  readonly bytes: Uint8Array;
}

export class UdpPort {
  readonly port: number;
  readonly #socket: UdpSocket;
  readonly #stack: NetStack;
  readonly #readers: ((datagram: Datagram) => void)[] = [];
  #release: (() => void) | undefined;
  readonly #removePoll: () => void;

  constructor(socket: UdpSocket, stack: NetStack, onTurn: (hook: () => void) => () => void) {
    this.#socket = socket;
    this.#stack = stack;
    this.port = socket.port;
    this.#removePoll = onTurn(() => this.#deliver());
  }

  /** Queues `bytes` to `to`; throws WouldBlock (queue full), MessageTooLong or SocketClosed. */
  send(to: { address: string; port: number }, bytes: Uint8Array): void {
    const address = parseIpv4(to.address);
    if (address instanceof WireError) throw new RangeError(`Cannot send to ${to.address}: ${address.message}`);
    const outcome = this.#socket.send({ address, port: to.port }, bytes);
    if (outcome !== undefined) throw outcome;
    this.#stack.kick();
  }

  receive(): Promise<Datagram> {
    const ready = this.#next();
    if (ready !== undefined) return Promise.resolve(ready);
    const promise = new Promise<Datagram>((resolve) => this.#readers.push(resolve));
    this.#hold();
    return promise;
  }

  close(): void {
    this.#socket.close();
    this.#removePoll();
    this.#release?.();
    this.#release = undefined;
  }

  #next(): Datagram | undefined {
    const datagram = this.#socket.receive();
    if (datagram === undefined) return undefined;
    return { from: { address: formatIpv4(datagram.from.address), port: datagram.from.port }, bytes: datagram.bytes };
  }

  #deliver(): void {
    while (this.#readers.length > 0) {
      const datagram = this.#next();
      if (datagram === undefined) break;
      this.#readers.shift()!(datagram);
    }
    this.#hold();
  }

  #hold(): void {
    if (this.#readers.length > 0 && this.#release === undefined) this.#release = this.#stack.hold();
    else if (this.#readers.length === 0 && this.#release !== undefined) {
      this.#release();
      this.#release = undefined;
    }
  }
}
