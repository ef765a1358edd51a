/**
 * hosted_devices: the devices of a hosted platform (Node or quickjs-emscripten), shared by
 * both: at most one network device (UDP, hosted_net.ts), one disk (a file, hosted_disk.ts)
 * and one byte channel to another thread (hosted_channel.ts), indexed in that order, and the
 * device half of `wait`.
 *
 * wait's ReadySet bits are edges (platform.ts): a bit is set when the device had news
 * since the last wait that reported it. Sleeping is an Atomics.wait on the network's
 * event counter, which its UDP worker notifies; with no network device, on a private cell
 * nobody notifies. Disk requests run at submission, so a disk with news never sleeps.
 */
import { internetChecksum } from "../../kernel-ts/hal/checksum.ts";
import type { DeviceInfo, DeviceKind } from "../../kernel-ts/hal/devices.ts";
import { HostedChannel, type HostedChannelOptions } from "./hosted_channel.ts";
import { HostedDisk, type HostedDiskOptions } from "./hosted_disk.ts";
import { HostedNet, type HostedNetOptions } from "./hosted_net.ts";

export interface HostedDeviceOptions {
  readonly net?: HostedNetOptions;
  readonly disk?: HostedDiskOptions;
  /** A byte channel to another thread (`skiff dev --hosted`'s development channel). */
  readonly channel?: HostedChannelOptions;
}

/** With both a network and a channel, the kernel sleeps on the channel in slices this long, checking the network between. */
const SHARED_SLEEP_SLICE_MS = 5;

export { internetChecksum };

export class HostedDevices {
  readonly list: readonly DeviceInfo[];
  readonly #net: HostedNet | undefined;
  readonly #disk: HostedDisk | undefined;
  readonly #channel: HostedChannel | undefined;
  readonly #netIndex: number;
  readonly #diskIndex: number;
  readonly #channelIndex: number;
  readonly #sleepCell = new Int32Array(new SharedArrayBuffer(4));

  constructor(options: HostedDeviceOptions = {}) {
    const list: DeviceInfo[] = [];
    this.#net = options.net === undefined ? undefined : new HostedNet(options.net);
    this.#netIndex = -1;
    if (this.#net !== undefined) {
      this.#netIndex = list.length;
      list.push({ index: list.length, kind: "net", name: `udp:${options.net!.local.address}:${this.#net.localPort}` });
    }
    try {
      this.#disk = options.disk === undefined ? undefined : new HostedDisk(options.disk);
    } catch (error) {
      this.#net?.close();
      throw error;
    }
    this.#diskIndex = -1;
    if (this.#disk !== undefined) {
      this.#diskIndex = list.length;
      list.push({ index: list.length, kind: "block", name: `file:${this.#disk.path}` });
    }
    this.#channel = options.channel === undefined ? undefined : new HostedChannel(options.channel);
    this.#channelIndex = -1;
    if (this.#channel !== undefined) {
      this.#channelIndex = list.length;
      list.push({ index: list.length, kind: "console", name: "thread:channel" });
    }
    this.list = list;
  }

  /** The UDP port the network device is bound to, or undefined without one. */
  get netLocalPort(): number | undefined {
    return this.#net?.localPort;
  }

  net(device: number, call: string): HostedNet {
    this.#check(device, "net", call);
    return this.#net!;
  }

  disk(device: number, call: string): HostedDisk {
    this.#check(device, "block", call);
    return this.#disk!;
  }

  channel(device: number, call: string): HostedChannel {
    this.#check(device, "console", call);
    return this.#channel!;
  }

  /** Throws the RangeError of the contract for any call on a kind this host has none of. */
  none(device: number, kind: DeviceKind, call: string): never {
    this.#check(device, kind, call);
    throw new RangeError(`Cannot call ${call}: device ${device} is not a ${kind} device`);
  }

  /** The ReadySet of the devices with news since the last call (and clears it). */
  takeReady(): number {
    let ready = 0;
    if (this.#net?.takeNews() === true) ready += 2 ** this.#netIndex;
    if (this.#disk?.takeNews() === true) ready += 2 ** this.#diskIndex;
    if (this.#channel?.takeNews() === true) ready += 2 ** this.#channelIndex;
    return ready;
  }

  /**
   * Sleeps until `untilNs` on `nowNs()` or a device has news, and returns its ReadySet
   * (0 at the deadline). Atomics.wait may wake a little early; the loop sleeps again.
   */
  waitUntil(untilNs: number, nowNs: () => number): number {
    for (;;) {
      const ready = this.takeReady();
      if (ready !== 0) return ready;
      const remainingNs = untilNs - nowNs();
      if (remainingNs <= 0) return 0;
      if (this.#channel !== undefined) this.#channel.sleep(this.#net === undefined ? remainingNs / 1e6 : Math.min(remainingNs / 1e6, SHARED_SLEEP_SLICE_MS));
      else if (this.#net !== undefined) this.#net.sleep(remainingNs / 1e6);
      else Atomics.wait(this.#sleepCell, 0, 0, Math.max(remainingNs / 1e6, 0.01));
    }
  }

  /** Lets the network send what it was given (at most timeoutMs): at power-off, as the shim does. */
  drain(timeoutMs: number): void {
    this.#net?.drain(timeoutMs);
  }

  close(): void {
    this.#net?.close();
    this.#disk?.close();
  }

  #check(device: number, kind: DeviceKind, call: string): void {
    if (typeof device !== "number") throw new TypeError(`Cannot call ${call}: device is not a number`);
    const info = Number.isInteger(device) ? this.list[device] : undefined;
    if (info === undefined) throw new RangeError(`Cannot call ${call}: there is no device ${device}`);
    if (info.kind !== kind) throw new RangeError(`Cannot call ${call}: device ${device} is a ${info.kind} device, not ${kind}`);
  }
}
