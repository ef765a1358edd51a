/**
 * rng_device: RngDevice, the entropy device (virtio-rng in the VM) as a promise of raw
 * bytes. Kernel code wanting random numbers calls platform.randomFill, which already
 * draws on this device; RngDevice is for seeing the device itself (tests, diagnostics).
 * It keeps the loop alive only while a read waits for the device.
 */

import { assert } from "../assert.ts";
import { Again, type DeviceInfo, type Platform, type ReadySet } from "../hal/platform.ts";
import { isReady, LoopHold, type DeviceLoop } from "./device_loop.ts";

interface PendingRead {
  readonly bytes: Uint8Array;
  filled: number;
  readonly resolve: (bytes: Uint8Array) => void;
}

export class RngDevice {
  readonly index: number;
  readonly name: string;
  readonly #platform: Platform;
  readonly #hold: LoopHold;
  readonly #reads: PendingRead[] = [];

  constructor(platform: Platform, device: DeviceInfo, loop: DeviceLoop) {
    assert(device.kind === "rng", `RngDevice made for a ${device.kind} device`);
    this.index = device.index;
    this.name = device.name;
    this.#platform = platform;
    this.#hold = new LoopHold(loop);
  }

  /** Resolves with `count` bytes straight from the device. */
  read(count: number): Promise<Uint8Array> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`Cannot read ${count} random bytes: give a positive integer`);
    const promise = new Promise<Uint8Array>((resolve) => this.#reads.push({ bytes: new Uint8Array(count), filled: 0, resolve }));
    this.#fill();
    return promise;
  }

  /** Poll hook: the device delivered more. */
  poll(ready: ReadySet): void {
    if (isReady(ready, this.index)) this.#fill();
  }

  #fill(): void {
    while (this.#reads.length > 0) {
      const head = this.#reads[0]!;
      const got = this.#platform.rngRead(this.index, head.bytes.subarray(head.filled));
      if (got === Again) break;
      head.filled += got;
      if (head.filled < head.bytes.length) continue;
      this.#reads.shift();
      head.resolve(head.bytes);
    }
    this.#hold.update(this.#reads.length > 0);
  }
}
