/**
 * The share of one host core an idle Skiff guest costs: apps/test-idle sleeps on one
 * setTimeout; from its "idle: sleeping" line, qemu's CPU time (all threads, /proc/PID/stat) is
 * sampled across a window inside the sleep. A guest that halts in `wait` costs qemu almost
 * nothing; one that polls costs a whole core under TCG. Target (issue 3): under 5 %.
 */
import type { VmDevice } from "../../host/launch/devices.ts";
import type { QemuMachine } from "../../host/launch/qemu_profile.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import { cpuSeconds } from "./proc_stat.ts";
import { startVm } from "./skiff_vm.ts";

export interface IdleFigures {
  readonly devices: string;
  readonly windowMs: number;
  readonly cpuMs: number;
  /** cpuMs / windowMs. */
  readonly coreShare: number;
}

export async function benchIdle(machine: QemuMachine, accel: Accel, devices: readonly VmDevice[], windowMs: number): Promise<IdleFigures> {
  const settleMs = 500;
  const vm = startVm({ machine, accel, app: "test-idle", env: { ms: windowMs + settleMs + 1500 }, devices, timeoutMs: windowMs + 120_000 });
  try {
    await vm.waitForLine(/^idle: sleeping /, 60_000);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const pid = vm.launch.process.pid;
    if (pid === undefined) throw new Error("qemu has no pid");
    const startCpu = cpuSeconds(pid);
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const cpu = cpuSeconds(pid) - startCpu;
    const elapsed = performance.now() - started;
    await vm.waitForLine(/^idle: woke after /, 30_000);
    return {
      devices: devices.length === 0 ? "none" : devices.map((device) => device.kind).join("+"),
      windowMs: Math.round(elapsed),
      cpuMs: Math.round(cpu * 1000),
      coreShare: Number((cpu / (elapsed / 1000)).toFixed(4)),
    };
  } finally {
    vm.stop();
  }
}
