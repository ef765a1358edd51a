/**
 * Whether this host can run guests under KVM. "Usable" means /dev/kvm opens read-write for
 * this user, which is what qemu and cloud-hypervisor need; a missing node or EACCES means no.
 */
import fs from "node:fs";

export type KvmStatus = { readonly usable: true } | { readonly usable: false; readonly reason: string };

export function kvmStatus(device = "/dev/kvm"): KvmStatus {
  let fd: number;
  try {
    fd = fs.openSync(device, fs.constants.O_RDWR);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    return { usable: false, reason: `Cannot open ${device} read-write: ${code}` };
  }
  fs.closeSync(fd);
  return { usable: true };
}
