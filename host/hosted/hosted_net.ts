/**
 * hosted_net: a hosted platform's network device: Ethernet frames in UDP datagrams, one
 * frame per datagram with nothing around it — the framing of qemu's `-netdev dgram` — so
 * a hosted kernel, a Node test harness and a VM can share one wire.
 *
 * The device negotiates no offloads: netRead puts twelve zero bytes of virtio-net header in
 * front of each received frame, netWrite drops the header the kernel wrote. The socket
 * lives on a worker thread (udp_ring.ts says why); construction blocks until it is bound,
 * so that a frame sent to this device right after the constructor returns is received.
 */
import { Worker, MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { Again, NET_HEADER_BYTES, type NetInfo, type NetStats } from "../../kernel-ts/hal/devices.ts";
import { Cell, makeRingBuffers, SocketState } from "./udp_ring.ts";
import { udpWorkerSource } from "./udp_worker_source.ts";

export interface UdpEndpoint {
  readonly address: string;
  readonly port: number;
}

export interface HostedNetOptions {
  /** Where this device's socket is bound; port 0 picks a free one (see `localPort`). */
  readonly local: UdpEndpoint;
  /** Where every frame is sent. */
  readonly remote: UdpEndpoint;
  /** Default: 52:54:00:12 then the bound port, big-endian. */
  readonly mac?: string;
  /** Receive ring slots, a power of two; default 256. */
  readonly ringSlots?: number;
  /** Frames handed to the worker and not yet sent before netWrite comes up short; default 256. */
  readonly txInFlight?: number;
}

/** The longest frame a slot holds: an MTU-1500 frame with a VLAN tag is 1518. */
const SLOT_BYTES = 2048;
/** The largest UDP payload over IPv4. */
const MAX_DATAGRAM = 65_507;
const BIND_TIMEOUT_MS = 10_000;
const MTU = 1500;

export class HostedNet {
  readonly info: NetInfo;
  readonly localPort: number;
  readonly #worker: Worker;
  readonly #control: Int32Array;
  readonly #lengths: Int32Array;
  readonly #data: Uint8Array;
  readonly #slots: number;
  readonly #txLimit: number;
  #txQueued = 0;
  #seenEvents = 0;
  readonly #stats = { rxFrames: 0, rxBytes: 0, txFrames: 0, txBytes: 0, txRingFull: 0 };

  constructor(options: HostedNetOptions) {
    const ring = makeRingBuffers(options.ringSlots ?? 256, SLOT_BYTES);
    this.#control = new Int32Array(ring.control);
    this.#lengths = new Int32Array(ring.lengths);
    this.#data = new Uint8Array(ring.data);
    this.#slots = ring.slots;
    this.#txLimit = options.txInFlight ?? 256;
    const status = new MessageChannel();
    this.#worker = new Worker(udpWorkerSource, {
      eval: true,
      execArgv: [],
      workerData: { ...ring, local: options.local, remote: options.remote, status: status.port2 },
      transferList: [status.port2],
    });
    this.#worker.unref();

    // Block until the worker has bound the socket (or failed to).
    const started = Date.now();
    while (Atomics.load(this.#control, Cell.State) === SocketState.Starting && Date.now() - started < BIND_TIMEOUT_MS) {
      Atomics.wait(this.#control, Cell.State, SocketState.Starting, 100);
    }
    const reply = receiveMessageOnPort(status.port1)?.message as { ok: boolean; port?: number; message?: string } | undefined;
    status.port1.close();
    if (reply?.ok !== true) {
      void this.#worker.terminate();
      const why = reply?.message ?? `no answer in ${BIND_TIMEOUT_MS} ms`;
      throw new Error(`Cannot open the hosted network on udp:${options.local.address}:${options.local.port}: ${why}`);
    }
    this.localPort = reply.port!;
    this.info = {
      mac: options.mac ?? `52:54:00:12:${hex(this.localPort >> 8)}:${hex(this.localPort & 0xff)}`,
      mtu: MTU,
      linkUp: true,
      offloads: { csum: false, guestCsum: false, hostTso4: false, guestTso4: false, mergeableRxBuffers: false },
    };
  }

  stats(): NetStats {
    return {
      ...this.#stats,
      rxDrops: Atomics.load(this.#control, Cell.RxOversize),
      rxBufferStarved: Atomics.load(this.#control, Cell.RxRingFull),
    };
  }

  read(): Uint8Array | Again {
    const read = Atomics.load(this.#control, Cell.RxRead);
    if (read === Atomics.load(this.#control, Cell.RxWritten)) return Again;
    const slot = read & (this.#slots - 1);
    const length = this.#lengths[slot]!;
    const packet = new Uint8Array(NET_HEADER_BYTES + length); // header: all zero, no offloads
    packet.set(this.#data.subarray(slot * SLOT_BYTES, slot * SLOT_BYTES + length), NET_HEADER_BYTES);
    Atomics.store(this.#control, Cell.RxRead, (read + 1) | 0); // the slot is the worker's again
    this.#stats.rxFrames++;
    this.#stats.rxBytes += length;
    return packet;
  }

  write(frames: readonly Uint8Array[]): number {
    if (!Array.isArray(frames)) throw new TypeError("Cannot call netWrite: frames is not an array");
    for (const frame of frames) {
      if (!(frame instanceof Uint8Array)) throw new TypeError("Cannot call netWrite: a frame is not a Uint8Array");
      if (frame.length < NET_HEADER_BYTES || frame.length > NET_HEADER_BYTES + MAX_DATAGRAM) {
        throw new RangeError(`Cannot call netWrite: a ${frame.length}-byte frame is not ${NET_HEADER_BYTES}–${NET_HEADER_BYTES + MAX_DATAGRAM} bytes`);
      }
    }
    const inFlight = this.#txQueued - Atomics.load(this.#control, Cell.TxDone);
    const count = Math.min(frames.length, Math.max(0, this.#txLimit - inFlight));
    if (count > 0) {
      const datagrams = frames.slice(0, count).map((frame) => frame.slice(NET_HEADER_BYTES).buffer);
      this.#worker.postMessage(datagrams, datagrams);
      this.#txQueued += count;
      this.#stats.txFrames += count;
      for (const datagram of datagrams) this.#stats.txBytes += datagram.byteLength;
    }
    if (count < frames.length) {
      this.#stats.txRingFull++;
      Atomics.store(this.#control, Cell.TxBlocked, 1);
    }
    return count;
  }

  /** True when a frame arrived or transmit room freed up since the last call that said so. */
  takeNews(): boolean {
    const events = Atomics.load(this.#control, Cell.Events);
    let news = events !== this.#seenEvents;
    this.#seenEvents = events;
    // The worker may have sent everything before TxBlocked was set: then nobody bumps Events.
    if (Atomics.load(this.#control, Cell.TxBlocked) === 1 && this.#txQueued - Atomics.load(this.#control, Cell.TxDone) < this.#txLimit) {
      Atomics.store(this.#control, Cell.TxBlocked, 0);
      news = true;
    }
    return news;
  }

  /** Sleeps up to `ms` or until the worker bumps Events past what takeNews() last saw. */
  sleep(ms: number): void {
    Atomics.wait(this.#control, Cell.Events, this.#seenEvents, Math.max(ms, 0.01));
  }

  /**
   * Waits (up to timeoutMs) until the worker has sent every datagram handed to it: at
   * power-off, so that frames the kernel queued are not lost with the worker. True when
   * all went out.
   */
  drain(timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (this.#txQueued !== Atomics.load(this.#control, Cell.TxDone)) {
      if (Date.now() > deadline) return false;
      Atomics.wait(pause, 0, 0, 1);
    }
    return true;
  }

  close(): void {
    void this.#worker.terminate();
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
