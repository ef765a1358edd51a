/**
 * wire: a simulated full-duplex Ethernet cable between two devices, with a virtual clock
 * owned by the driver. Each direction is a drop-tail transmit queue drained at the link's
 * bandwidth (a frame occupies the wire for its serialization time, preamble and
 * inter-frame gap included), then a propagation latency, then the impairments, each drawn
 * from the run's seeded generator:
 *
 * - loss: the frame vanishes (Bernoulli per frame);
 * - duplication: a second copy arrives a little later;
 * - reordering: the frame is held an extra uniform [0, reorderDelay) ms, so frames sent
 *   after it may overtake it;
 * - jitter: every frame is delayed a further uniform [0, jitter) ms, but never past its
 *   successor: jitter alone keeps the order (FIFO), as a real path's queueing does.
 *
 * Frames are the packets LinkDevice carries (virtio-net header + Ethernet frame); the wire
 * never looks inside them.
 */

import { EventQueue } from "./event_queue.ts";
import type { Random } from "./random.ts";

export interface LinkModel {
  /** Bits per second. */
  readonly bandwidth: number;
  /** One-way propagation delay, ms. */
  readonly latency: number;
  /** Bytes the transmit queue holds before it drops at the tail. */
  readonly queueBytes: number;
  readonly loss: number;
  readonly duplicate: number;
  readonly reorder: number;
  /** The most a reordered frame is held back, ms. */
  readonly reorderDelay: number;
  /** Order-keeping delay variation, ms. */
  readonly jitter: number;
}

/** 100 Mbit/s, 10 ms one way (20 ms RTT: a 250 KB bandwidth-delay product), a 256-frame queue, no impairments. */
export const CLEAN_LINK: LinkModel = {
  bandwidth: 100e6, latency: 10, queueBytes: 256 * 1514, loss: 0, duplicate: 0, reorder: 0, reorderDelay: 0, jitter: 0,
};

/** Ethernet's per-frame cost beyond the frame: preamble and SFD (8), FCS (4), inter-frame gap (12). */
const ETHERNET_OVERHEAD = 24;
const VIRTIO_NET_HEADER = 12;

export interface DirectionStats {
  sent: number;
  delivered: number;
  lost: number;
  queueDrops: number;
  duplicated: number;
  reordered: number;
  bytes: number;
}

/** Where a direction's frames arrive: the receiving device's queue. */
export interface FrameSink {
  arrive(packet: Uint8Array, wireCopy: boolean): void;
}

class Direction {
  readonly stats: DirectionStats = { sent: 0, delivered: 0, lost: 0, queueDrops: 0, duplicated: 0, reordered: 0, bytes: 0 };
  /** When the transmitter finishes the frames already queued. */
  #busyUntil = 0;
  /** The arrival time of the last in-order frame: jitter never delivers before it. */
  #lastArrival = 0;

  constructor(readonly model: LinkModel, readonly sink: FrameSink, readonly random: Random, readonly events: EventQueue<() => void>) {}

  /** The transmit side takes a packet at `now`; false if the queue was full (a tail drop). */
  transmit(now: number, packet: Uint8Array): boolean {
    const model = this.model;
    const bytesOnWire = packet.length - VIRTIO_NET_HEADER + ETHERNET_OVERHEAD;
    const serialization = (bytesOnWire * 8 * 1000) / model.bandwidth;
    const start = Math.max(now, this.#busyUntil);
    const backlog = Math.round(((start - now) * model.bandwidth) / 8000); // whole bytes: no float residue
    this.stats.sent += 1;
    if (backlog + bytesOnWire > model.queueBytes) {
      this.stats.queueDrops += 1;
      return false;
    }
    this.#busyUntil = start + serialization;
    this.stats.bytes += bytesOnWire;
    if (this.random() < model.loss) {
      this.stats.lost += 1;
      return true;
    }
    const jitter = model.jitter > 0 ? this.random() * model.jitter : 0;
    let arrival = Math.max(this.#busyUntil + model.latency + jitter, this.#lastArrival);
    this.#lastArrival = arrival;
    if (model.reorder > 0 && this.random() < model.reorder) {
      arrival += this.random() * model.reorderDelay;
      this.stats.reordered += 1;
    }
    const copy = packet.slice(); // the sender may reuse its buffer
    this.events.push(arrival, () => { this.stats.delivered += 1; this.sink.arrive(copy, false); });
    if (model.duplicate > 0 && this.random() < model.duplicate) {
      this.stats.duplicated += 1;
      this.events.push(arrival + serialization + this.random() * model.jitter, () => this.sink.arrive(copy.slice(), true));
    }
    return true;
  }
}

export class SimWire {
  readonly #events = new EventQueue<() => void>();
  readonly #directions: [Direction, Direction];

  /** `a` and `b` are the ends; `aToB` and `bToA` each direction's model. */
  constructor(a: FrameSink, b: FrameSink, aToB: LinkModel, bToA: LinkModel, random: Random) {
    this.#directions = [new Direction(aToB, b, random, this.#events), new Direction(bToA, a, random, this.#events)];
  }

  /** Stats of frames sent from end 0 (A) or end 1 (B). */
  stats(from: 0 | 1): DirectionStats { return this.#directions[from].stats; }

  transmit(from: 0 | 1, now: number, packet: Uint8Array): boolean {
    return this.#directions[from].transmit(now, packet);
  }

  /** When the next frame arrives, or Infinity. */
  get nextAt(): number { return this.#events.nextAt; }

  /** Delivers every frame due by `now` to its device. Returns how many. */
  deliver(now: number): number {
    let count = 0;
    for (let event = this.#events.popDue(now); event !== undefined; event = this.#events.popDue(now)) {
      event();
      count += 1;
    }
    return count;
  }
}
