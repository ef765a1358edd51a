/**
 * Boots one guest of the network benchmark under qemu, inside the private namespace with
 * virtio-net on its tap — Skiff with apps/bench-tcp, or the Linux baseline with
 * linux_server.c — through the shared launcher, so both get the same qemu flags and the
 * same device. `stop()` kills the VM whatever state it is in.
 */
import { launch, skiffCmdline, type LaunchResult } from "../../host/launch/launch.ts";
import type { QemuMachine } from "../../host/launch/qemu_profile.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import { prepareLinuxGuest, virtioNetModules } from "../linux-guest/mod.ts";
import { linuxServerProgram } from "./linux_server.ts";
import type { BenchNetwork } from "./private_network.ts";

export type GuestName = "skiff" | "linux";

export interface GuestVm {
  readonly name: GuestName;
  readonly lines: string[];
  /** Resolves at the guest's "listening" line; rejects if it does not come in time. */
  readonly ready: Promise<void>;
  readonly result: Promise<LaunchResult>;
  /** A description of the guest for the results (kernel package, app…). */
  readonly label: string;
  /** qemu's gdbstub (post_mortem.ts reads where the CPU is when a phase fails). */
  readonly gdbSocket: string | undefined;
  stop(): void;
}

export interface GuestOptions {
  readonly machine: QemuMachine;
  readonly accel: Accel;
  readonly memory: string;
  /** Skiff's image (build/skiff.elf of some tree). */
  readonly image: string;
  /** Bytes the source role sends per connection. */
  readonly sourceBytes: number;
  /** A gdbstub on this Unix socket (qemu's -gdb, waiting for no one: the guest runs as without it). */
  readonly gdbSocket?: string;
  readonly timeoutMs: number;
  readonly readyMs: number;
}

/** The Linux side's /init workload: address from the command line (bench_ip=, bench_gw=), then the server. */
const linuxRun = "ip link set lo up && ip addr add $bench_ip dev eth0 && ip link set eth0 up && ip route add default via $bench_gw && linux-server $bench_bytes";

export function startGuest(name: GuestName, network: BenchNetwork, options: GuestOptions): GuestVm {
  const lines: string[] = [];
  let label: string;
  let ready: RegExp;
  let boot: { kernel?: string; initrd?: string; cmdline: string; bareCmdline: boolean };
  if (name === "skiff") {
    label = `${options.image}, apps/bench-tcp`;
    ready = /^bench-tcp: listening on /;
    boot = { kernel: options.image, cmdline: skiffCmdline("bench-tcp", `ip=${network.guestAddress}/30,gw=${network.hostAddress} env.bytes=${options.sourceBytes} netstats`), bareCmdline: false };
  } else {
    const guest = prepareLinuxGuest({ modules: virtioNetModules, run: linuxRun, programs: [{ name: "linux-server", data: linuxServerProgram() }] });
    label = `${guest.kernelPackage}, ${guest.busyboxPackage}, bench/net/linux_server.c`;
    ready = /^linux-server: listening on /;
    boot = { kernel: guest.kernel, initrd: guest.initrd, cmdline: `${guest.cmdline} bench_ip=${network.guestAddress}/30 bench_gw=${network.hostAddress} bench_bytes=${options.sourceBytes}`, bareCmdline: true };
  }
  let markReady: () => void = () => {};
  const vm = launch({
    vmm: "qemu",
    machine: options.machine,
    accel: options.accel,
    memory: options.memory,
    ...boot,
    devices: [network.device],
    netns: network.namespace,
    ...(options.gdbSocket !== undefined ? { gdbSocket: options.gdbSocket } : {}),
    timeoutMs: options.timeoutMs,
    onLine: (line) => {
      lines.push(line.text);
      if (ready.test(line.text)) markReady();
    },
  });
  const readyPromise = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${ready} within ${options.readyMs} ms; console:\n${lines.slice(-30).join("\n")}`)), options.readyMs);
    markReady = () => { clearTimeout(timer); resolve(); };
    void vm.result.then((exit) => { clearTimeout(timer); reject(new Error(`${name}: the VM exited before it was ready (${exit.guest.ok ? `code ${exit.guest.code}` : exit.guest.reason}); console:\n${lines.slice(-30).join("\n")}`)); }, () => {});
  });
  readyPromise.catch(() => {}); // the caller awaits it; an unawaited rejection must not crash the run
  return { name, lines, ready: readyPromise, result: vm.result, label, gdbSocket: options.gdbSocket, stop: () => vm.process.kill() };
}
