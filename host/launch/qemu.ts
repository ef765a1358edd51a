/**
 * The qemu command line for one boot: a profile from hypervisor-configs/, an accelerator (KVM
 * when /dev/kvm is usable, else TCG, unless the caller forces one), memory, kernel, optional
 * initrd, the kernel command line and the virtio devices (devices.ts, from the profile's templates). Building the argv is pure so tests can read it.
 * A channel on the serial port (--channel serial:PATH) replaces the profile's `-serial stdio`.
 */
import { hasSerialChannel, qemuDeviceArgs, type VmDevice } from "./devices.ts";
import type { QemuProfile } from "./qemu_profile.ts";
import { kvmStatus } from "./kvm.ts";

export type Accel = "kvm" | "tcg";
export type AccelChoice = Accel | "auto";

export interface QemuBoot {
  readonly profile: QemuProfile;
  readonly accel: Accel;
  /** As qemu's -m takes it: "64M". */
  readonly memory: string;
  readonly kernel: string;
  readonly initrd?: string;
  /** The whole kernel command line, profile words included. */
  readonly append: string;
  /** virtio devices, attached in this order (devices.ts). */
  readonly devices?: readonly VmDevice[];
}

export const qemuBinary = "qemu-system-x86_64";

export function resolveAccel(choice: AccelChoice): Accel {
  if (choice !== "auto") return choice;
  return kvmStatus().usable ? "kvm" : "tcg";
}

export function qemuArgs(boot: QemuBoot): string[] {
  const devices = boot.devices ?? [];
  const machine = devices.length > 0 && boot.profile.virtio.machine !== undefined ? boot.profile.virtio.machine : boot.profile.machine;
  // A channel on the serial port takes COM1 from the console (its template adds -serial unix:…).
  const args = ["-M", machine, ...boot.profile.accel[boot.accel], ...(hasSerialChannel(devices) ? withoutSerial(boot.profile.base) : boot.profile.base), "-m", boot.memory];
  for (const device of boot.profile.devices) args.push("-device", device);
  args.push(...qemuDeviceArgs(boot.profile.virtio, devices));
  args.push("-kernel", boot.kernel);
  if (boot.initrd !== undefined) args.push("-initrd", boot.initrd);
  args.push("-append", boot.append);
  return args;
}

/** `base` less its "-serial VALUE" pairs. */
function withoutSerial(base: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < base.length; i++) {
    if (base[i] === "-serial") i++;
    else kept.push(base[i]!);
  }
  return kept;
}
