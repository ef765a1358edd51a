/**
 * devices: Devices, the registry of the kernel's device drivers, built once at boot from
 * platform.devices(): a NetDevice per network device, a BlockDevice per disk. It hooks
 * them into the event loop (one poll hook, one flush hook for all) and is how the layers
 * above find them. Byte channels (virtio-console) get a ChannelDevice, entropy devices an
 * RngDevice.
 */

import type { DeviceInfo, Platform, ReadySet } from "../hal/platform.ts";
import { BlockDevice } from "./block_device.ts";
import { ChannelDevice } from "./channel_device.ts";
import { RngDevice } from "./rng_device.ts";
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
  readonly channels: readonly ChannelDevice[];
  readonly rngs: readonly RngDevice[];
  readonly #removers: (() => void)[];

  constructor(platform: Platform, loop: DeviceLoop, options: DevicesOptions = {}) {
    this.all = platform.devices();
    this.nets = this.all.filter((info) => info.kind === "net").map((info) => new NetDevice(platform, info, loop, options.net));
    this.blocks = this.all.filter((info) => info.kind === "block").map((info) => new BlockDevice(platform, info, loop));
    this.channels = this.all.filter((info) => info.kind === "console").map((info) => new ChannelDevice(platform, info, loop));
    this.rngs = this.all.filter((info) => info.kind === "rng").map((info) => new RngDevice(platform, info, loop));
    this.#removers = [
      // Every turn: indexed loops, no iterator objects (they cost in QuickJS).
      loop.onPoll((ready: ReadySet) => {
        for (let i = 0; i < this.nets.length; i++) this.nets[i]!.poll(ready);
        for (let i = 0; i < this.blocks.length; i++) this.blocks[i]!.poll(ready);
        for (let i = 0; i < this.channels.length; i++) this.channels[i]!.poll(ready);
        for (let i = 0; i < this.rngs.length; i++) this.rngs[i]!.poll(ready);
      }),
      loop.onFlush(() => {
        for (let i = 0; i < this.nets.length; i++) this.nets[i]!.flush();
        for (let i = 0; i < this.channels.length; i++) this.channels[i]!.flush();
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

  /** The first byte channel to the host, or undefined when there is none. */
  get channel(): ChannelDevice | undefined {
    return this.channels[0];
  }

  /** The first entropy device, or undefined when there is none. */
  get rng(): RngDevice | undefined {
    return this.rngs[0];
  }

  /** Unhooks every driver from the loop (tests, and a kernel handing over to its successor). */
  detach(): void {
    for (const remove of this.#removers.splice(0)) remove();
  }
}
