/**
 * Boots one guest of the HTTP and kv benchmarks under qemu (TCG, q35, virtio-net on the
 * private network's tap, through the shared launcher so every guest gets the same flags):
 * Skiff with an app image as PVH module 0, or the Linux baseline guest with a workload.
 * `startedNs` is the monotonic clock (process.hrtime, CLOCK_MONOTONIC — the same clock in
 * every process on the host) just before qemu was spawned, so a poller in the namespace can
 * time the first answer from qemu's start. `stop()` kills the VM whatever state it is in.
 */
import { launch, skiffCmdline, type LaunchResult } from "../../host/launch/launch.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import type { LinuxGuest } from "../linux-guest/mod.ts";
import type { BenchNetwork } from "../net/private_network.ts";

export interface RunningGuest {
  readonly lines: string[];
  readonly startedNs: bigint;
  readonly result: Promise<LaunchResult>;
  /** Resolves at the first console line matching `pattern`; rejects when the VM exits first or `ms` pass. */
  waitForLine(pattern: RegExp, ms: number): Promise<void>;
  stop(): Promise<void>;
}

export type GuestBoot =
  | { readonly kind: "skiff"; readonly image: string; readonly app: string; readonly appImage?: string; readonly extra?: string }
  | { readonly kind: "linux"; readonly guest: LinuxGuest };

export interface BootOptions {
  readonly accel: Accel;
  readonly memory: string;
  readonly timeoutMs: number;
  /** qemu `-plugin` arguments (bench/icount's instruction counter). */
  readonly qemuPlugins?: readonly string[];
  readonly icountShift?: number;
  readonly gdbSocket?: string;
}

export function bootGuest(boot: GuestBoot, network: BenchNetwork, options: BootOptions): RunningGuest {
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: () => void }>();
  const files = boot.kind === "skiff"
    ? { kernel: boot.image, ...(boot.appImage !== undefined ? { initrd: boot.appImage } : {}), cmdline: skiffCmdline(boot.app, [`ip=${network.guestAddress}/30,gw=${network.hostAddress}`, boot.extra ?? ""].join(" ").trim()), bareCmdline: false }
    : { kernel: boot.guest.kernel, initrd: boot.guest.initrd, cmdline: `${boot.guest.cmdline} bench_ip=${network.guestAddress}/30 bench_gw=${network.hostAddress}`, bareCmdline: true };
  const startedNs = process.hrtime.bigint();
  const vm = launch({
    vmm: "qemu",
    machine: "q35",
    accel: options.accel,
    memory: options.memory,
    ...files,
    devices: [network.device],
    netns: network.namespace,
    timeoutMs: options.timeoutMs,
    ...(options.qemuPlugins !== undefined ? { qemuPlugins: options.qemuPlugins } : {}),
    ...(options.icountShift !== undefined ? { icountShift: options.icountShift } : {}),
    ...(options.gdbSocket !== undefined ? { gdbSocket: options.gdbSocket } : {}),
    onLine: (line) => {
      lines.push(line.text);
      for (const waiter of waiters) if (waiter.pattern.test(line.text)) waiter.resolve();
    },
  });
  const waitForLine = (pattern: RegExp, ms: number): Promise<void> => {
    if (lines.some((line) => pattern.test(line))) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = { pattern, resolve: () => { clearTimeout(timer); waiters.delete(waiter); resolve(); } };
      const timer = setTimeout(() => { waiters.delete(waiter); reject(new Error(`no line matching ${pattern} within ${ms} ms; console:\n${lines.slice(-15).join("\n")}`)); }, ms);
      waiters.add(waiter);
      void vm.result.then((exit) => {
        if (!waiters.has(waiter)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        reject(new Error(`the VM exited before ${pattern} (${exit.guest.ok ? `code ${exit.guest.code}` : exit.guest.reason}); console:\n${lines.slice(-15).join("\n")}`));
      }, () => {});
    });
  };
  return {
    lines,
    startedNs,
    result: vm.result,
    waitForLine,
    stop: async () => {
      vm.process.kill();
      await vm.result.catch(() => undefined);
    },
  };
}
