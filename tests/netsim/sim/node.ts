/**
 * node: one complete Skiff network stack as the kernel assembles it (net/stack without the
 * event loop): an Interface with its SocketSet and a TcpStack, over a SimDevice, with a
 * static address. The checksum is the TypeScript one the fake and hosted platforms use.
 */

import { internetChecksum } from "../../../kernel-ts/hal/checksum.ts";
import { Interface } from "../../../kernel-ts/net/iface/mod.ts";
import { SocketSet } from "../../../kernel-ts/net/socket/mod.ts";
import { TcpStack, type TcpStackOptions } from "../../../kernel-ts/net/tcp/mod.ts";
import { parseMac, WireError } from "../../../kernel-ts/net/wire/mod.ts";
import { SimDevice } from "./device.ts";
import { seededFill } from "./random.ts";

export interface NodeConfig {
  readonly name: string;
  readonly mac: string;
  readonly address: number;
  readonly prefixLength: number;
  readonly seed: number;
  readonly tcp?: Partial<Omit<TcpStackOptions, "checksum" | "randomFill">>;
}

export class SimNode {
  readonly name: string;
  readonly address: number;
  readonly device: SimDevice;
  readonly tcp: TcpStack;
  readonly iface: Interface;

  constructor(config: NodeConfig) {
    this.name = config.name;
    this.address = config.address >>> 0;
    const randomFill = seededFill(config.seed);
    this.device = new SimDevice(config.mac);
    this.tcp = new TcpStack({ checksum: internetChecksum, randomFill, ...config.tcp });
    const mac = parseMac(config.mac);
    if (mac instanceof WireError) throw new Error(`Cannot use MAC ${config.mac}: ${mac.message}`);
    this.iface = new Interface({
      mac, checksum: internetChecksum, sockets: new SocketSet(), tcp: this.tcp, randomFill,
      ipv4: { address: config.address, prefixLength: config.prefixLength },
    });
  }

  /** Polls until nothing is left to do at `now` (bounded: a stack that never settles is a bug). */
  poll(now: number): void {
    this.device.setTime(now);
    for (let round = 0; round < 10_000; round++) {
      this.iface.poll(now, this.device);
      if (this.device.rxPending === 0 && this.iface.pollAt(now) > now) return;
    }
    throw new Error(`${this.name} never settles at t=${now} ms: pollAt keeps saying now`);
  }

  /** When this node next needs a poll: now if frames wait, else the interface's timers. */
  pollAt(now: number): number {
    return this.device.rxPending > 0 ? now : this.iface.pollAt(now);
  }
}
