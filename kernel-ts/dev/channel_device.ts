/**
 * channel_device: ChannelDevice, a byte channel to the host (virtio-console in the VM) with
 * promise-based read and write. The development channel of hot reload rides on it.
 *
 * read() resolves with the bytes that arrived (at least one), in order; bytes that arrive
 * while nobody reads are kept, up to `bufferLimit` (then the device holds the rest until a
 * read makes room). write() resolves once every byte is handed to the platform; the flush
 * hook hands over what fits each turn. The channel keeps the loop alive only while a read
 * or a write is pending.
 */

import { assert } from "../assert.ts";
import { Again, type DeviceInfo, type Platform, type ReadySet } from "../hal/platform.ts";
import { isReady, LoopHold, type DeviceLoop } from "./device_loop.ts";

interface PendingWrite {
  bytes: Uint8Array;
  readonly resolve: () => void;
}

export class ChannelDevice {
  readonly index: number;
  readonly name: string;
  readonly bufferLimit: number;
  readonly #platform: Platform;
  readonly #hold: LoopHold;
  readonly #received: Uint8Array[] = [];
  #receivedBytes = 0;
  readonly #readers: ((bytes: Uint8Array) => void)[] = [];
  readonly #writes: PendingWrite[] = [];

  constructor(platform: Platform, device: DeviceInfo, loop: DeviceLoop, bufferLimit = 1 << 20) {
    assert(device.kind === "console", `ChannelDevice made for a ${device.kind} device`);
    this.index = device.index;
    this.name = device.name;
    this.bufferLimit = bufferLimit;
    this.#platform = platform;
    this.#hold = new LoopHold(loop);
  }

  /** Resolves with the next bytes received (at least one). */
  read(): Promise<Uint8Array> {
    this.#pull();
    const chunk = this.#received.shift();
    if (chunk !== undefined) {
      this.#receivedBytes -= chunk.length;
      return Promise.resolve(chunk);
    }
    const promise = new Promise<Uint8Array>((resolve) => this.#readers.push(resolve));
    this.#update();
    return promise;
  }

  /** Resolves once every byte of `bytes` is handed to the platform. */
  write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return Promise.resolve();
    const promise = new Promise<void>((resolve) => this.#writes.push({ bytes: bytes.slice(), resolve }));
    this.flush();
    this.#update();
    return promise;
  }

  /** Poll hook: collect what arrived when the device's bit is set or a reader waits. */
  poll(ready: ReadySet): void {
    if (isReady(ready, this.index) || this.#readers.length > 0) this.#pull();
    if (isReady(ready, this.index)) this.flush();
  }

  /** Flush hook: hand pending writes to the platform as far as the channel takes them. */
  flush(): void {
    while (this.#writes.length > 0) {
      const head = this.#writes[0]!;
      const taken = this.#platform.channelWrite(this.index, head.bytes);
      if (taken === Again || taken === 0) break;
      head.bytes = head.bytes.subarray(taken);
      if (head.bytes.length > 0) continue;
      this.#writes.shift();
      head.resolve();
    }
    this.#update();
  }

  #pull(): void {
    while (this.#receivedBytes < this.bufferLimit || this.#readers.length > 0) {
      const bytes = this.#platform.channelRead(this.index);
      if (bytes === Again) break;
      const reader = this.#readers.shift();
      if (reader !== undefined) reader(bytes);
      else {
        this.#received.push(bytes);
        this.#receivedBytes += bytes.length;
      }
    }
    this.#update();
  }

  /** A full channel needs no polling: the platform wakes `wait` with our bit when room frees. */
  #update(): void {
    this.#hold.update(this.#readers.length > 0 || this.#writes.length > 0);
  }
}
