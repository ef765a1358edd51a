/**
 * Whether this host can run guests under KVM. "Usable" means /dev/kvm opens read-write for
 * this user, which is what qemu and cloud-hypervisor need; a missing node or EACCES means no.
 * A /dev/kvm served only by the PVM module (kvm_pvm, shadow-paging virtualisation for nested
 * hosts, without kvm_intel or kvm_amd) opens too, but cannot run an ordinary guest: qemu
 * stops with "KVM internal error … emulation failure" at the shim's first SSE instruction
 * (seen on our development machines). That counts as not usable.
 */
import fs from "node:fs";

export type KvmStatus = { readonly usable: true } | { readonly usable: false; readonly reason: string };

export function kvmStatus(device = "/dev/kvm", sysModules = "/sys/module"): KvmStatus {
  let fd: number;
  try {
    fd = fs.openSync(device, fs.constants.O_RDWR);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    return { usable: false, reason: `Cannot open ${device} read-write: ${code}` };
  }
  fs.closeSync(fd);
  const hardware = ["kvm_intel", "kvm_amd"].some((name) => fs.existsSync(`${sysModules}/${name}`));
  if (!hardware && fs.existsSync(`${sysModules}/kvm_pvm`)) {
    return { usable: false, reason: `${device} is served by kvm_pvm (no kvm_intel or kvm_amd), which cannot run this guest` };
  }
  return { usable: true };
}
