/**
 * boot: brings the network up at kernel boot and offers it to apps as `skiff:net`.
 * With a network device: the stack (net/stack) over it, TCP, and the configuration from
 * the command line (`ip=dhcp`, the default, or `ip=ADDR/PREFIX,gw=…,dns=…`). Without one,
 * with `net=off` on the command line (an app driving the NIC itself through scope.devices:
 * the device tests), or with a command line that does not parse, skiff:net still loads
 * and every call rejects with NetworkUnavailable saying why, so apps can report it.
 */

import type { NetDevice } from "../dev/net_device.ts";
import type { Platform } from "../hal/platform.ts";
import { createNetApi, NetworkUnavailable, type NetApi } from "./api/mod.ts";
import type { ConnectionTimers } from "./api/connection.ts";
import { NetworkConfigError, parseNetworkConfig } from "./config.ts";
import { NetStack, type NetLoop } from "./stack/mod.ts";
import { TcpStack } from "./tcp/stack.ts";

export interface NetworkBoot {
  readonly platform: Platform;
  readonly loop: NetLoop;
  readonly device: NetDevice | undefined;
  readonly timers: ConnectionTimers;
  readonly log: (line: string) => void;
}

/**
 * The `netstats` line: the device's, the interface's and TCP's counters as one JSON object,
 * printed at power-off when the command line has the bare flag `netstats` (the network
 * benchmark records it next to its figures; a user reads where frames were dropped).
 */
export interface Network {
  readonly stack: NetStack;
  readonly tcp: TcpStack;
  readonly device: NetDevice;
  /** What apps import as skiff:net, for kernel services that serve apps (the HTTP loader). */
  readonly api: NetApi;
  statsLine(): string;
}

/** Starts the network and defines `skiff:net`; returns it, or undefined without one. */
export function startNetwork(boot: NetworkBoot): Network | undefined {
  const { platform, device, log } = boot;
  let why = "the machine has no network device";
  const off = /(^|\s)net=off(\s|$)/.test(platform.cmdline());
  if (off) why = "net=off on the kernel command line (the NIC is left to the app)";
  if (device !== undefined && !off) {
    try {
      const config = parseNetworkConfig(platform.cmdline());
      const checksum = platform.checksum.bind(platform);
      const randomFill = platform.randomFill.bind(platform);
      const halfSipHash = platform.halfSipHash.bind(platform);
      const offloads = device.info.offloads;
      // TSO needs the device to fill checksums too (virtio 1.2 §5.1.3.1: HOST_TSO4 requires CSUM).
      const tsoMaxBytes = offloads.hostTso4 && offloads.csum && !/(^|\s)tso=off(\s|$)/.test(platform.cmdline()) ? 64 * 1024 : 0;
      const tcp = new TcpStack({ checksum, randomFill, halfSipHash, mtu: device.info.mtu, tsoMaxBytes });
      const stack = new NetStack({ device, loop: boot.loop, config, randomFill, checksum, tcp, log, nowNs: () => platform.monotonicNs() });
      const api = createNetApi(stack, tcp, boot.timers);
      platform.defineModule("skiff:net", api);
      const statsLine = (): string => `skiff: net stats ${JSON.stringify({ device: device.stats(), iface: stack.iface.stats, tcp: tcp.stats })}`;
      return { stack, tcp, device, api, statsLine };
    } catch (error) {
      if (!(error instanceof NetworkConfigError)) throw error;
      why = error.message;
      log(`skiff: net: ${why}`);
    }
  }
  const unavailable = async (): Promise<never> => { throw new NetworkUnavailable(why); };
  platform.defineModule("skiff:net", { listen: unavailable, connect: unavailable, bindUdp: unavailable, lookup: unavailable, NetworkUnavailable });
  return undefined;
}
