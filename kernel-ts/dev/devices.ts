/**
 * devices: Devices, the registry of the kernel's device drivers, built once at boot from
 * platform.devices(): a NetDevice per network device, a BlockDevice per disk. It hooks
 * them into the event loop (one poll hook, one flush hook for all) and is how the layers
 * above find them. Entropy and console devices are listed (`all`) but have no driver yet.
 */

import type { DeviceInfo, Platform, ReadySet } from "../hal/platform.ts";
import { BlockDevice } from "./block_device.ts";
import type { DeviceLoop } from "./device_loop.ts";
import { NetDevice, type NetDeviceOptions } from "./net_device.ts";

export interface DevicesOptions {
  readonly net?: NetDeviceOptions;
}

export class Devices {
  /** Every device the platform found, by index. */
  readonly all: readonly DeviceInfo[];
  readonly nets: readonly NetDevice[];
  readonly blocks: readonly BlockDevice[];
  readonly #removers: (() => void)[];

  constructor(platform: Platform, loop: DeviceLoop, options: DevicesOptions = {}) {
    this.all = platform.devices();
    this.nets = this.all.filter((info) => info.kind === "net").map((info) => new NetDevice(platform, info, loop, options.net));
    this.blocks = this.all.filter((info) => info.kind === "block").map((info) => new BlockDevice(platform, info, loop));
    this.#removers = [
      loop.onPoll((ready: ReadySet) => {
        for (const net of this.nets) net.poll(ready);
        for (const block of this.blocks) block.poll(ready);
      }),
      loop.onFlush(() => {
        for (const net of this.nets) net.flush();
      }),
    ];
  }

  /** The first network device, or undefined when there is none. */
  get net(): NetDevice | undefined {
    return this.nets[0];
  }

  /** The first disk, or undefined when there is none. */
  get block(): BlockDevice | undefined {
    return this.blocks[0];
  }

  /** Unhooks every driver from the loop (tests, and a kernel handing over to its successor). */
  detach(): void {
    for (const remove of this.#removers.splice(0)) remove();
  }
}
