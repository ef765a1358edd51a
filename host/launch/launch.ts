/**
 * Boots a kernel image under qemu or cloud-hypervisor and reports the guest's exit code. The
 * one entry point `skiff run`, the vm tests and the benchmark share, so all three boot the
 * same way. The Skiff command line is assembled here: `app=NAME`, the profile's words
 * (debug_exit=0xf4 for qemu), then whatever the caller adds.
 */
import fs from "node:fs";
import { cloudHypervisorDeviceArgs, DeviceSyntaxError, hasSerialChannel, type VmDevice } from "./devices.ts";
import { cloudHypervisorArgs, cloudHypervisorUnavailable, loadCloudHypervisorProfile } from "./cloud_hypervisor.ts";
import { guestResultFromConsole, guestResultFromQemuStatus, type GuestResult } from "./exit_status.ts";
import { paths } from "./paths.ts";
import { loadQemuProfile, type QemuMachine } from "./qemu_profile.ts";
import { qemuArgs, qemuBinary, resolveAccel, type Accel, type AccelChoice } from "./qemu.ts";
import { VmProcess, type ConsoleLine, type VmExit } from "./vm_process.ts";

export type Vmm = "qemu" | "cloud-hypervisor";

export interface LaunchOptions {
  readonly vmm: Vmm;
  /** qemu only. */
  readonly machine: QemuMachine;
  /** qemu only; "auto" picks KVM when /dev/kvm is usable. */
  readonly accel: AccelChoice;
  /** "64M" */
  readonly memory: string;
  /** Defaults to build/skiff.elf. */
  readonly kernel?: string;
  /**
   * A file the guest gets as PVH module 0 — an app image (build/apps/APP.img): qemu's
   * `-initrd`, cloud-hypervisor's `--initramfs`.
   */
  readonly initrd?: string;
  /** The kernel command line before the profile's words are added. */
  readonly cmdline: string;
  /** Leave out the profile's command-line words (a Linux guest has no use for debug_exit). */
  readonly bareCmdline?: boolean;
  /** virtio devices (devices.ts); none by default. */
  readonly devices?: readonly VmDevice[];
  /**
   * Run the VMM inside this network namespace (`ip netns exec NS …`, needs root), so a
   * `--net tap:IFNAME` can name a tap that lives there. `ip netns exec` execs the VMM in
   * its own process (no fork), so killing the process kills the VMM.
   */
  readonly netns?: string;
  readonly timeoutMs: number;
  readonly onOutput?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  readonly onLine?: (line: ConsoleLine) => void;
  /** qemu only: TCG plugins, as `-plugin` arguments ("FILE.so,key=value"); bench/icount's counter. */
  readonly qemuPlugins?: readonly string[];
  /**
   * qemu only: `-icount shift=N`. While the guest runs, its clock (and TSC) advances 2^N ns
   * per instruction instead of with the host's time; asleep, it follows the host's time.
   * bench/profile's `--icount` charges its samples by instructions this way.
   */
  readonly icountShift?: number;
  /** qemu only: a gdbstub on this Unix socket (`-gdb unix:PATH,server=on,wait=off`); bench/profile's `--native` samples through it. */
  readonly gdbSocket?: string;
}

export interface LaunchResult extends VmExit {
  /** The guest's exit code, or why there is none (timeout, qemu's own failure…). */
  readonly guest: GuestResult;
  readonly program: string;
  readonly args: readonly string[];
}

export interface Launch {
  readonly program: string;
  readonly args: readonly string[];
  /** qemu only: the accelerator in use. */
  readonly accel?: Accel;
  readonly process: VmProcess;
  readonly result: Promise<LaunchResult>;
}

/** Thrown before spawning when the VM cannot be started at all (missing image, binary, KVM). */
export class LaunchError extends Error {
  override readonly name = "LaunchError";
}

export function skiffCmdline(app: string, extra: string): string {
  return [`app=${app}`, extra].filter((word) => word.length > 0).join(" ");
}

function joinCmdline(...parts: readonly string[]): string {
  return parts.filter((part) => part.length > 0).join(" ");
}

export function launch(options: LaunchOptions): Launch {
  const kernel = options.kernel ?? paths.image;
  if (!fs.existsSync(kernel)) {
    throw new LaunchError(`Cannot boot ${kernel}: the file does not exist (run \`make build\` first)`);
  }
  if (options.initrd !== undefined && !fs.existsSync(options.initrd)) {
    throw new LaunchError(`Cannot boot with ${options.initrd}: the file does not exist (an app image: \`skiff build APP\`)`);
  }

  let program: string;
  let args: string[];
  let accel: Accel | undefined;
  // A channel on the serial port: the kernel must know the UART is not its console (shim/include/console.h).
  const serialChannel = hasSerialChannel(options.devices ?? []) ? "devchannel=serial" : "";
  if (options.vmm === "qemu") {
    const profile = loadQemuProfile(options.machine);
    accel = resolveAccel(options.accel);
    const append = joinCmdline(options.cmdline, serialChannel, ...(options.bareCmdline === true ? [] : profile.cmdline));
    program = qemuBinary;
    args = qemuArgs({ profile, accel, memory: options.memory, kernel, append, devices: options.devices ?? [], ...(options.initrd !== undefined ? { initrd: options.initrd } : {}) });
    for (const plugin of options.qemuPlugins ?? []) args.push("-plugin", plugin);
    if (options.icountShift !== undefined) args.push("-icount", `shift=${options.icountShift}`);
    if (options.gdbSocket !== undefined) args.push("-gdb", `unix:${options.gdbSocket},server=on,wait=off`);
  } else {
    if ((options.qemuPlugins ?? []).length > 0) throw new LaunchError("Cannot load qemu plugins into cloud-hypervisor");
    if (options.icountShift !== undefined) throw new LaunchError("cloud-hypervisor has no instruction-counting clock (-icount is qemu's)");
    if (options.gdbSocket !== undefined) throw new LaunchError("cloud-hypervisor has no gdbstub in its release builds (-gdb is qemu's)");
    const profile = loadCloudHypervisorProfile();
    const unavailable = cloudHypervisorUnavailable(profile);
    if (unavailable !== undefined) throw new LaunchError(unavailable);
    const cmdline = joinCmdline(options.cmdline, serialChannel, ...(options.bareCmdline === true ? [] : profile.cmdline));
    let devices: ReturnType<typeof cloudHypervisorDeviceArgs>;
    try {
      devices = cloudHypervisorDeviceArgs(options.devices ?? []);
    } catch (error) {
      if (error instanceof DeviceSyntaxError) throw new LaunchError(error.message);
      throw error;
    }
    program = profile.binary;
    args = cloudHypervisorArgs({
      profile: { ...profile, serial: devices.serial ?? profile.serial, console: devices.console ?? profile.console },
      kernel, cmdline, memory: options.memory,
      ...(options.initrd !== undefined ? { initramfs: options.initrd } : {}),
    });
    args.push(...devices.args);
  }

  if (options.netns !== undefined) {
    if (!/^[A-Za-z0-9_.-]+$/.test(options.netns)) throw new LaunchError(`Cannot run the VM in network namespace ${JSON.stringify(options.netns)}: not a namespace name`);
    if (!fs.existsSync(`/run/netns/${options.netns}`)) throw new LaunchError(`Cannot run the VM in network namespace ${options.netns}: /run/netns/${options.netns} does not exist (ip netns add ${options.netns})`);
    args = ["netns", "exec", options.netns, program, ...args];
    program = "ip";
  }

  // qemu does not exit on a KVM internal error: it pauses the guest and waits. Seen on hosts
  // whose /dev/kvm opens but whose (nested) KVM cannot run the guest; kill it and say so.
  let kvmFailure: string | undefined;
  const vm: VmProcess = new VmProcess({
    program,
    args,
    timeoutMs: options.timeoutMs,
    ...(options.onOutput !== undefined ? { onOutput: options.onOutput } : {}),
    onStderr: (chunk) => {
      options.onStderr?.(chunk);
      if (accel === "kvm" && kvmFailure === undefined && /KVM internal error|emulation failure/.test(chunk.toString("utf8"))) {
        kvmFailure = "KVM could not run the guest (KVM internal error; VM killed): /dev/kvm opens on this host but does not work, use --accel tcg";
        vm.kill();
      }
    },
    ...(options.onLine !== undefined ? { onLine: options.onLine } : {}),
  });
  const vmm = options.vmm;
  const result = vm.exited.then((exit): LaunchResult => {
    let guest: GuestResult;
    if (kvmFailure !== undefined) guest = { ok: false, reason: kvmFailure };
    else if (exit.timedOut) guest = { ok: false, reason: `timed out after ${Math.round(options.timeoutMs / 1000)} s (VM killed)` };
    else if (exit.status === null) guest = { ok: false, reason: `${program} was killed by ${exit.signal}` };
    else if (vmm === "qemu") guest = guestResultFromQemuStatus(exit.status);
    else if (exit.status !== 0) guest = { ok: false, reason: `cloud-hypervisor failed (status ${exit.status})` };
    else guest = guestResultFromConsole(exit.output);
    return { ...exit, guest, program, args };
  });
  return { program, args, ...(accel !== undefined ? { accel } : {}), process: vm, result };
}
