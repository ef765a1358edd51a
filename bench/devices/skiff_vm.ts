/**
 * Boots Skiff for a device benchmark through the shared launcher and lets the benchmark wait
 * for console lines while the VM runs. The VM is always killed by `stop`.
 */
import type { VmDevice } from "../../host/launch/devices.ts";
import { launch, skiffCmdline, type Launch, type LaunchResult } from "../../host/launch/launch.ts";
import type { QemuMachine } from "../../host/launch/qemu_profile.ts";
import type { Accel } from "../../host/launch/qemu.ts";

export interface BenchVm {
  readonly launch: Launch;
  readonly lines: string[];
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  readonly result: Promise<LaunchResult>;
  stop(): void;
}

export interface BenchBoot {
  readonly machine: QemuMachine;
  readonly accel: Accel;
  readonly app: string;
  readonly env?: Readonly<Record<string, string | number>>;
  readonly devices: readonly VmDevice[];
  readonly timeoutMs: number;
  readonly kernel?: string;
  readonly initrd?: string;
  /** Extra kernel command-line words (e.g. net=off for apps that drive the NIC themselves). */
  readonly cmdline?: string;
  /** A non-Skiff guest: its own command line, no app= word, no profile words. */
  readonly rawCmdline?: string;
  readonly memory?: string;
}

export function startVm(boot: BenchBoot): BenchVm {
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const env = Object.entries(boot.env ?? {}).map(([key, value]) => `env.${key}=${value}`).join(" ");
  const vm = launch({
    vmm: "qemu",
    machine: boot.machine,
    accel: boot.accel,
    memory: boot.memory ?? "128M",
    ...(boot.kernel !== undefined ? { kernel: boot.kernel } : {}),
    ...(boot.initrd !== undefined ? { initrd: boot.initrd } : {}),
    cmdline: boot.rawCmdline ?? skiffCmdline(boot.app, [boot.cmdline ?? "", env].filter((words) => words !== "").join(" ")),
    bareCmdline: boot.rawCmdline !== undefined,
    devices: boot.devices,
    timeoutMs: boot.timeoutMs,
    onLine: (line) => {
      lines.push(line.text);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.pattern.test(line.text)) waiters.splice(i, 1)[0]!.resolve(line.text);
      }
    },
  });
  let exited = false;
  void vm.result.finally(() => { exited = true; });
  return {
    launch: vm,
    lines,
    result: vm.result,
    stop: () => vm.process.kill(),
    waitForLine(pattern, timeoutMs) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const fail = (why: string): void => reject(new Error(`no console line matching ${pattern} ${why}; console:\n${lines.join("\n")}`));
        if (exited) return fail("(the VM had exited)");
        const timer = setTimeout(() => fail(`within ${timeoutMs} ms`), timeoutMs);
        waiters.push({ pattern, resolve: (line) => { clearTimeout(timer); resolve(line); } });
        void vm.result.then(() => { clearTimeout(timer); fail("before the VM exited"); }, () => {});
      });
    },
  };
}
