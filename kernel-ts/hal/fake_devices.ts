/**
 * fake_devices: the devices of FakePlatform. The test plays the other end of each one:
 * it injects received frames and takes transmitted ones (FakeNet), looks at and changes
 * the bytes behind a disk (FakeBlock), injects and takes console bytes (FakeChannel).
 *
 * Everything is deterministic and happens at one of two moments:
 *   - when the kernel calls the HAL (netWrite queues, blockRead submits…), and
 *   - at the next `wait`: block requests submitted since the last wait complete then, in
 *     submission order, and the device's ReadySet bit is set.
 * A device's bit is an edge (platform.ts, wait): set when something happens (a frame
 * injected, transmit room freed after netWrite came up short, requests completed, console
 * bytes injected) and cleared when a wait returns it.
 */

import { Again, NET_HEADER_BYTES, ReadOnly, type BlockCompletion, type BlockInfo, type BlockStatus, type DeviceInfo, type DeviceKind, type NetInfo, type NetOffloads, type NetStats } from "./devices.ts";

const SECTOR_BYTES = 512;

export interface FakeNetOptions {
  readonly kind: "net";
  /** Default "52:54:00:12:34:56" with the last byte = the device index. */
  readonly mac?: string;
  /** Default 1500. */
  readonly mtu?: number;
  readonly linkUp?: boolean;
  readonly offloads?: Partial<NetOffloads>;
  /** Received frames waiting for netRead before inject() drops (rxBufferStarved); default 256. */
  readonly rxQueueLimit?: number;
  /** Transmitted frames the test has not taken before netWrite comes up short; default 256. */
  readonly txRingSize?: number;
}

export interface FakeBlockOptions {
  readonly kind: "block";
  /** Capacity in 512-byte sectors; the disk starts zeroed. */
  readonly sectors: number;
  readonly readOnly?: boolean;
  /** Default 512. */
  readonly blockSize?: number;
  /** VIRTIO_BLK_F_FLUSH; default true. A flush on a device without it completes "unsupported". */
  readonly flush?: boolean;
  /** Requests in flight (submitted, completion not yet collected) before Again; default 8. */
  readonly queueDepth?: number;
}

export interface FakeChannelOptions {
  readonly kind: "console";
  /** Bytes written and not yet taken before channelWrite comes up short; default 4096. */
  readonly capacity?: number;
}

export interface FakeRngOptions {
  readonly kind: "rng";
  /** Seed of the device's own PRNG (mulberry32); default 7. */
  readonly seed?: number;
}

export type FakeDeviceOptions = FakeNetOptions | FakeBlockOptions | FakeChannelOptions | FakeRngOptions;

const NO_OFFLOADS: NetOffloads = { csum: false, guestCsum: false, hostTso4: false, guestTso4: false, mergeableRxBuffers: false };

/** What every fake device shares: its index, and its pending ReadySet edge. */
abstract class FakeDevice {
  abstract readonly kind: DeviceKind;
  /** Something happened since the last wait that named this device. */
  news = false;
  constructor(readonly index: number) {}
  abstract get name(): string;
  /** Called by wait() before it looks at `news`. */
  beforeWait(): void {}
}

/** A network device: the test is the wire. */
export class FakeNet extends FakeDevice {
  readonly kind = "net" as const;
  readonly info: NetInfo;
  readonly #rx: Uint8Array[] = [];
  readonly #tx: Uint8Array[] = [];
  readonly #rxLimit: number;
  readonly #txRingSize: number;
  #txWasFull = false;
  readonly #stats = { rxFrames: 0, rxBytes: 0, rxDrops: 0, rxBufferStarved: 0, txFrames: 0, txBytes: 0, txRingFull: 0 };

  constructor(index: number, options: FakeNetOptions) {
    super(index);
    const last = (0x56 + index) & 0xff;
    this.info = {
      mac: options.mac ?? `52:54:00:12:34:${last.toString(16).padStart(2, "0")}`,
      mtu: options.mtu ?? 1500,
      linkUp: options.linkUp ?? true,
      offloads: { ...NO_OFFLOADS, ...options.offloads },
    };
    this.#rxLimit = options.rxQueueLimit ?? 256;
    this.#txRingSize = options.txRingSize ?? 256;
  }

  get name(): string {
    return `fake-net${this.index}`;
  }

  // ── the test's side ───────────────────────────────────────────────────────────────

  /** Delivers a received frame (header + Ethernet frame, as netRead returns it). False when dropped: the queue is full. */
  inject(packet: Uint8Array): boolean {
    if (packet.length < NET_HEADER_BYTES) throw new RangeError(`Cannot inject a ${packet.length}-byte packet: shorter than the ${NET_HEADER_BYTES}-byte header`);
    if (this.#rx.length >= this.#rxLimit) {
      this.#stats.rxBufferStarved++;
      return false;
    }
    this.#rx.push(packet.slice());
    this.news = true;
    return true;
  }

  /** Delivers an Ethernet frame behind a zero header (no offloads). */
  injectFrame(frame: Uint8Array): boolean {
    const packet = new Uint8Array(NET_HEADER_BYTES + frame.length);
    packet.set(frame, NET_HEADER_BYTES);
    return this.inject(packet);
  }

  /** Takes every transmitted packet (header + frame), oldest first, freeing the ring. */
  take(): Uint8Array[] {
    const taken = this.#tx.splice(0);
    if (this.#txWasFull && taken.length > 0) {
      this.#txWasFull = false;
      this.news = true; // transmit room freed: the driver may retry
    }
    return taken;
  }

  /** Received frames not yet read by the kernel. */
  get rxPending(): number {
    return this.#rx.length;
  }

  // ── the HAL's side ────────────────────────────────────────────────────────────────

  stats(): NetStats {
    return { ...this.#stats };
  }

  read(): Uint8Array | Again {
    const packet = this.#rx.shift();
    if (packet === undefined) return Again;
    this.#stats.rxFrames++;
    this.#stats.rxBytes += packet.length - NET_HEADER_BYTES;
    return packet;
  }

  write(frames: readonly Uint8Array[]): number {
    if (!Array.isArray(frames)) throw new TypeError("Cannot call netWrite: frames is not an array");
    for (const frame of frames) {
      if (!(frame instanceof Uint8Array)) throw new TypeError("Cannot call netWrite: a frame is not a Uint8Array");
      if (frame.length < NET_HEADER_BYTES) throw new RangeError(`Cannot call netWrite: a ${frame.length}-byte frame is shorter than the ${NET_HEADER_BYTES}-byte header`);
    }
    const room = Math.max(0, this.#txRingSize - this.#tx.length);
    const queued = Math.min(room, frames.length);
    for (let i = 0; i < queued; i++) {
      const frame = frames[i]!;
      this.#tx.push(frame.slice());
      this.#stats.txFrames++;
      this.#stats.txBytes += frame.length - NET_HEADER_BYTES;
    }
    if (queued < frames.length) {
      this.#stats.txRingFull++;
      this.#txWasFull = true;
    }
    return queued;
  }
}

interface BlockRequest {
  readonly id: number;
  readonly op: "read" | "write" | "flush";
  readonly sector: number;
  readonly buffer: Uint8Array | undefined;
}

/** A disk in memory. Requests complete at the next wait, in submission order. */
export class FakeBlock extends FakeDevice {
  readonly kind = "block" as const;
  readonly info: BlockInfo;
  /** The disk's bytes; the test may read and change them between waits. */
  readonly bytes: Uint8Array;
  readonly #queueDepth: number;
  readonly #submitted: BlockRequest[] = [];
  #completed: BlockCompletion[] = [];
  readonly #failures: BlockStatus[] = [];
  #nextId = 1;

  constructor(index: number, options: FakeBlockOptions) {
    super(index);
    if (!Number.isInteger(options.sectors) || options.sectors < 0) throw new RangeError(`Cannot make a fake disk of ${options.sectors} sectors`);
    this.info = { sectors: options.sectors, blockSize: options.blockSize ?? SECTOR_BYTES, readOnly: options.readOnly ?? false, flush: options.flush ?? true };
    this.bytes = new Uint8Array(options.sectors * SECTOR_BYTES);
    this.#queueDepth = options.queueDepth ?? 8;
  }

  get name(): string {
    return `fake-disk${this.index}`;
  }

  /** The next requests to complete get these statuses instead of running (one each). */
  failNext(...statuses: BlockStatus[]): void {
    this.#failures.push(...statuses);
  }

  /** Requests submitted and not yet completed. */
  get submitted(): number {
    return this.#submitted.length;
  }

  submit(op: BlockRequest["op"], sector: number, buffer: Uint8Array | undefined): number | Again | ReadOnly {
    if (buffer !== undefined) checkRange(this.info, sector, buffer);
    if (op === "write" && this.info.readOnly) return ReadOnly;
    if (this.#submitted.length + this.#completed.length >= this.#queueDepth) return Again;
    const id = this.#nextId++;
    this.#submitted.push({ id, op, sector, buffer });
    return id;
  }

  completions(): BlockCompletion[] {
    const done = this.#completed;
    this.#completed = [];
    return done;
  }

  /** Runs every submitted request (the device's side), as a real disk would while the CPU sleeps. */
  override beforeWait(): void {
    if (this.#submitted.length === 0) return;
    for (const request of this.#submitted.splice(0)) this.#completed.push({ id: request.id, status: this.#run(request) });
    this.news = true;
  }

  #run(request: BlockRequest): BlockStatus {
    const failure = this.#failures.shift();
    if (failure !== undefined) return failure;
    const at = request.sector * SECTOR_BYTES;
    switch (request.op) {
      case "read": request.buffer!.set(this.bytes.subarray(at, at + request.buffer!.length)); return "ok";
      case "write": this.bytes.set(request.buffer!, at); return "ok";
      case "flush": return this.info.flush ? "ok" : "unsupported";
    }
  }
}

/** Checks a block request's arguments against the HAL contract; shared with the hosted disk. */
export function checkRange(info: BlockInfo, sector: number, buffer: Uint8Array): void {
  if (!(buffer instanceof Uint8Array)) throw new TypeError("Cannot submit block request: buffer is not a Uint8Array");
  if (!Number.isInteger(sector) || sector < 0) throw new RangeError(`Cannot submit block request at sector ${sector}: not an integer ≥ 0`);
  if (buffer.length === 0 || buffer.length % SECTOR_BYTES !== 0) throw new RangeError(`Cannot submit block request of ${buffer.length} bytes: not a positive multiple of ${SECTOR_BYTES}`);
  if (sector + buffer.length / SECTOR_BYTES > info.sectors) {
    throw new RangeError(`Cannot submit block request for sectors ${sector}–${sector + buffer.length / SECTOR_BYTES - 1}: the disk has ${info.sectors}`);
  }
}

/** A byte channel (virtio-console port). */
export class FakeChannel extends FakeDevice {
  readonly kind = "console" as const;
  readonly #capacity: number;
  #received: Uint8Array[] = [];
  #written: number[] = [];
  #wasFull = false;

  constructor(index: number, options: FakeChannelOptions) {
    super(index);
    this.#capacity = options.capacity ?? 4096;
  }

  get name(): string {
    return `fake-console${this.index}`;
  }

  /** Bytes the host sends to the kernel. */
  inject(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#received.push(bytes.slice());
    this.news = true;
  }

  /** Takes every byte the kernel wrote, freeing the channel. */
  take(): Uint8Array {
    const taken = Uint8Array.from(this.#written);
    this.#written = [];
    if (this.#wasFull && taken.length > 0) {
      this.#wasFull = false;
      this.news = true;
    }
    return taken;
  }

  read(): Uint8Array | Again {
    if (this.#received.length === 0) return Again;
    const total = this.#received.reduce((sum, chunk) => sum + chunk.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const chunk of this.#received) {
      all.set(chunk, at);
      at += chunk.length;
    }
    this.#received = [];
    return all;
  }

  write(bytes: Uint8Array): number | Again {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot call channelWrite: bytes is not a Uint8Array");
    if (bytes.length === 0) return 0;
    const room = this.#capacity - this.#written.length;
    if (room <= 0) {
      this.#wasFull = true;
      return Again;
    }
    const count = Math.min(room, bytes.length);
    for (let i = 0; i < count; i++) this.#written.push(bytes[i]!);
    if (count < bytes.length) this.#wasFull = true;
    return count;
  }
}

/** An entropy device: deterministic bytes from a seeded PRNG, always ready. */
export class FakeRng extends FakeDevice {
  readonly kind = "rng" as const;
  #state: number;

  constructor(index: number, options: FakeRngOptions) {
    super(index);
    this.#state = (options.seed ?? 7) >>> 0;
  }

  get name(): string {
    return `fake-rng${this.index}`;
  }

  read(bytes: Uint8Array): number | Again {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot call rngRead: bytes is not a Uint8Array");
    if (bytes.length === 0) return Again;
    for (let i = 0; i < bytes.length; i++) {
      this.#state = (this.#state + 0x6d2b79f5) >>> 0;
      let t = this.#state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      bytes[i] = (t ^ (t >>> 14)) & 0xff;
    }
    return bytes.length;
  }
}

export type AnyFakeDevice = FakeNet | FakeBlock | FakeChannel | FakeRng;

/** Builds the devices in the order given: index i is options[i]. */
export function makeFakeDevices(options: readonly FakeDeviceOptions[]): AnyFakeDevice[] {
  return options.map((option, index) => {
    switch (option.kind) {
      case "net": return new FakeNet(index, option);
      case "block": return new FakeBlock(index, option);
      case "console": return new FakeChannel(index, option);
      case "rng": return new FakeRng(index, option);
    }
  });
}

/** The device at `index` of `kind`, or the RangeError the HAL contract asks for. */
export function deviceOf<K extends DeviceKind>(devices: readonly AnyFakeDevice[], index: number, kind: K, call: string): Extract<AnyFakeDevice, { kind: K }> {
  if (typeof index !== "number") throw new TypeError(`Cannot call ${call}: device is not a number`);
  const device = Number.isInteger(index) ? devices[index] : undefined;
  if (device === undefined) throw new RangeError(`Cannot call ${call}: there is no device ${index}`);
  if (device.kind !== kind) throw new RangeError(`Cannot call ${call}: device ${index} is a ${device.kind} device, not ${kind}`);
  return device as Extract<AnyFakeDevice, { kind: K }>;
}

export function deviceInfos(devices: readonly AnyFakeDevice[]): DeviceInfo[] {
  return devices.map((device) => ({ index: device.index, kind: device.kind, name: device.name }));
}
