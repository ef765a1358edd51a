/**
 * device: a simulated virtio-net device (contracts.ts LinkDevice) on one end of a SimWire.
 * Packets are the 12-byte virtio-net header then the Ethernet frame, both ways. No
 * offloads are offered, and received packets carry no DATA_VALID flag, so the stack
 * checks every checksum as it would on a device without offloads. The transmit ring never
 * fills: a real path's congestion drops are the wire's queue (a drop-tail bottleneck).
 */

import type { LinkDevice } from "../../../kernel-ts/net/contracts.ts";
import type { FrameSink, SimWire } from "./wire.ts";

export class SimDevice implements LinkDevice, FrameSink {
  readonly info: LinkDevice["info"];
  readonly #rx: Uint8Array[] = [];
  #rxHead = 0;
  #wire: SimWire | undefined;
  #end: 0 | 1 = 0;
  #now = 0;
  /** Called with each packet as the stack takes it (before it is processed), for observers. */
  onReceive: ((packet: Uint8Array, wireCopy: boolean) => void) | undefined;
  readonly #copies = new WeakSet<Uint8Array>();

  constructor(readonly mac: string, mtu = 1500) {
    this.info = { mtu, offloads: { csum: false, guestCsum: false, hostTso4: false, guestTso4: false } };
  }

  /** Attaches this device to end `end` of `wire`. */
  plug(wire: SimWire, end: 0 | 1): void {
    this.#wire = wire;
    this.#end = end;
  }

  /** The driver's clock, set before each poll: what send() stamps frames with. */
  setTime(now: number): void { this.#now = now; }

  get rxPending(): number { return this.#rx.length - this.#rxHead; }

  // FrameSink: the wire delivers here.
  arrive(packet: Uint8Array, wireCopy: boolean): void {
    if (wireCopy) this.#copies.add(packet);
    this.#rx.push(packet);
  }

  receive(): Uint8Array | undefined {
    if (this.#rxHead === this.#rx.length) return undefined;
    const packet = this.#rx[this.#rxHead++]!;
    if (this.#rxHead === this.#rx.length) { this.#rx.length = 0; this.#rxHead = 0; }
    this.onReceive?.(packet, this.#copies.has(packet));
    return packet;
  }

  send(packets: Uint8Array | readonly Uint8Array[]): number {
    const wire = this.#wire;
    if (wire === undefined) throw new Error(`Cannot send on ${this.mac}: the device is not plugged into a wire`);
    const list = packets instanceof Uint8Array ? [packets] : packets;
    for (const packet of list) wire.transmit(this.#end, this.#now, packet);
    return list.length;
  }
}
