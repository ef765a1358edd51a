/**
 * net_device: NetDevice, one network device over the HAL, with a receive queue and a
 * transmit queue. Packets are what the HAL passes: NET_HEADER_BYTES of virtio-net header
 * (net_header.ts), then the Ethernet frame.
 *
 * Receive: when a wait names the device, its poll hook reads frames with netRead into the
 * receive queue (or straight to a reader waiting in nextFrame()), at most `pollBudget`
 * per turn so that a flood cannot starve timers and tasks. A ReadySet bit is an edge (a
 * new interrupt only for new frames), so a poll that stopped at its budget asks the loop
 * for another turn at once and polls again without waiting for a bit. When the queue is
 * full the device stops reading and leaves frames on the device (which counts them as
 * rxBufferStarved or drops them); receive() making room resumes it.
 *
 * Transmit: send() appends to the transmit queue; the flush hook (step 4 of the turn)
 * hands the whole queue to one netWrite — one notify per turn — and keeps the suffix the
 * device had no room for, to retry on the next flush (a device bit will come when room
 * frees up). A send beyond `txQueueLimit` is refused (counted in txQueueDrops): the
 * protocols above retransmit.
 *
 * The device keeps the event loop alive only while frames wait to be sent or a reader
 * waits in nextFrame(); an idle NIC does not stop the kernel from powering off.
 */

import { assert } from "../assert.ts";
import { Again, type DeviceInfo, type NetInfo, type NetStats, type Platform, type ReadySet } from "../hal/platform.ts";
import { isReady, LoopHold, type DeviceLoop } from "./device_loop.ts";

export interface NetDeviceOptions {
  /** Frames read and not yet taken before the device stops reading; default 256. */
  readonly rxQueueLimit?: number;
  /** Frames read from the device per turn at most; default 64. */
  readonly pollBudget?: number;
  /** Frames waiting to be sent before send() refuses more; default 1024. */
  readonly txQueueLimit?: number;
}

/** The platform's counts plus the driver's own. */
export interface NetDeviceStats extends NetStats {
  /** Frames send() refused because the transmit queue was full. */
  readonly txQueueDrops: number;
  /** Frames waiting in the transmit queue now. */
  readonly txQueued: number;
  /** Frames waiting in the receive queue now. */
  readonly rxQueued: number;
}

export class NetDevice {
  readonly index: number;
  readonly name: string;
  readonly info: NetInfo;
  readonly #platform: Platform;
  readonly #loop: DeviceLoop;
  readonly #hold: LoopHold;
  readonly #rxLimit: number;
  readonly #budget: number;
  readonly #txLimit: number;
  #rx: Uint8Array[] = [];
  #tx: Uint8Array[] = [];
  readonly #readers: ((packet: Uint8Array) => void)[] = [];
  /** The device may have frames no interrupt will announce: poll without a bit. */
  #more = false;
  #txQueueDrops = 0;

  constructor(platform: Platform, device: DeviceInfo, loop: DeviceLoop, options: NetDeviceOptions = {}) {
    assert(device.kind === "net", `NetDevice made for a ${device.kind} device`);
    this.index = device.index;
    this.name = device.name;
    this.#platform = platform;
    this.#loop = loop;
    this.#hold = new LoopHold(loop);
    this.info = platform.netInfo(device.index);
    this.#rxLimit = options.rxQueueLimit ?? 256;
    this.#budget = options.pollBudget ?? 64;
    this.#txLimit = options.txQueueLimit ?? 1024;
  }

  /** The MAC address, "52:54:00:12:34:56". */
  get mac(): string {
    return this.info.mac;
  }

  /** The oldest received packet (header + frame), or undefined when none is queued. */
  receive(): Uint8Array | undefined {
    const packet = this.#rx.shift();
    if (packet !== undefined && this.#more) this.#loop.requestTurn(); // room again: read what was left on the device
    return packet;
  }

  /** The next received packet; waits (keeping the loop alive) when none is queued. */
  nextFrame(): Promise<Uint8Array> {
    const packet = this.receive();
    if (packet !== undefined) return Promise.resolve(packet);
    return new Promise((resolve) => {
      this.#readers.push(resolve);
      this.#updateHold();
    });
  }

  /** Every received packet, as they come; ends only when the caller stops iterating. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) yield await this.nextFrame();
  }

  /**
   * Queues packets (each header + frame) for the next flush, in order. Returns how many
   * were queued: fewer when the transmit queue is full. The caller MUST NOT change a
   * packet after queuing it (the device reads it in place).
   */
  send(packets: Uint8Array | readonly Uint8Array[]): number {
    const one = packets instanceof Uint8Array; // one packet (what the stack sends): no list made for it
    const count = one ? 1 : packets.length;
    const room = this.#txLimit - this.#tx.length; // compared, not Math.max/min: native calls cost more per packet
    const queued = room <= 0 ? 0 : room < count ? room : count;
    if (one) {
      if (queued === 1) this.#tx.push(packets);
    } else {
      for (let i = 0; i < queued; i++) this.#tx.push(packets[i]!);
    }
    this.#txQueueDrops += count - queued;
    this.#updateHold();
    return queued;
  }

  stats(): NetDeviceStats {
    return { ...this.#platform.netStats(this.index), txQueueDrops: this.#txQueueDrops, txQueued: this.#tx.length, rxQueued: this.#rx.length };
  }

  /** The poll hook (step 2): reads up to the budget when the device's bit is set or more may wait. */
  poll(ready: ReadySet): void {
    if (!isReady(ready, this.index) && !this.#more) return;
    this.#more = false;
    this.#readBudget();
    this.#updateHold();
  }

  /** The flush hook (step 4): one netWrite for everything queued; keeps what did not fit. */
  flush(): void {
    if (this.#tx.length === 0) return;
    const sent = this.#platform.netWrite(this.index, this.#tx);
    // The message only when it fails: a template literal argument is built on every call.
    if (!(Number.isInteger(sent) && sent >= 0 && sent <= this.#tx.length)) assert(false, `netWrite(${this.index}) returned ${sent} for ${this.#tx.length} frames`);
    this.#tx = sent === this.#tx.length ? [] : this.#tx.slice(sent);
    this.#updateHold();
  }

  #readBudget(): void {
    for (let read = 0; read < this.#budget; read++) {
      if (this.#readers.length === 0 && this.#rx.length >= this.#rxLimit) {
        this.#more = true; // full: leave the rest on the device until receive() makes room
        return;
      }
      const packet = this.#platform.netRead(this.index);
      if (packet === Again) return;
      const reader = this.#readers.shift();
      if (reader !== undefined) reader(packet);
      else this.#rx.push(packet);
    }
    this.#more = true; // budget spent: there may be more, and no new interrupt will say so
    this.#loop.requestTurn();
  }

  #updateHold(): void {
    const busy = this.#tx.length > 0 || this.#readers.length > 0;
    if (busy !== this.#hold.held) this.#hold.update(busy); // every send, poll and flush: most change nothing
  }
}
