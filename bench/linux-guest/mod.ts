/**
 * The Linux baseline guest every Skiff benchmark is compared against: Debian bookworm's own
 * kernel (vmlinuz from the linux-image package, extracted, never installed) and an initramfs
 * of Debian's busybox-static whose /init prints one line and powers off. Both are cached
 * under build/linux-guest/, keyed by package version, so only the first run downloads.
 *
 *   const guest = prepareLinuxGuest();
 *   launch({ kernel: guest.kernel, initrd: guest.initrd, cmdline: guest.cmdline, bareCmdline: true, ... })
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { paths } from "../../host/launch/paths.ts";
import { cpioNewc } from "./cpio_newc.ts";
import { candidateVersion, currentKernelPackage, downloadPackage, extractMembers } from "./debian_package.ts";
import { hostTscKhz } from "./host_tsc.ts";
import { initScript, linuxHelloLine } from "./init_script.ts";

export { linuxHelloLine };

export interface LinuxGuest {
  /** Path of the bzImage. */
  readonly kernel: string;
  /** Path of the gzip'd newc initramfs. */
  readonly initrd: string;
  /** e.g. "linux-image-6.1.0-56-amd64 6.1.192-2" */
  readonly kernelPackage: string;
  readonly busyboxPackage: string;
  /** Kernel command line (see linuxCmdline). */
  readonly cmdline: string;
  /** The line /init prints. */
  readonly helloLine: string;
}

export const linuxGuestDir = path.join(paths.buildDir, "linux-guest");

/** Serial console, no log chatter, straight to /init, exit on panic; the TSC rate when known (host_tsc.ts). */
function linuxCmdline(): string {
  const khz = hostTscKhz();
  return `console=ttyS0 quiet panic=-1 rdinit=/init${khz === undefined ? "" : ` tsc_early_khz=${khz}`}`;
}

function prepareKernel(): { file: string; label: string } {
  const pkg = currentKernelPackage();
  const version = candidateVersion(pkg);
  const file = path.join(linuxGuestDir, `vmlinuz-${pkg}-${version}`);
  if (!fs.existsSync(file)) {
    const deb = downloadPackage(pkg, path.join(linuxGuestDir, "debs"));
    const extracted = path.join(linuxGuestDir, "extract-kernel");
    fs.rmSync(extracted, { recursive: true, force: true });
    extractMembers(deb, extracted, ["./boot/vmlinuz-*"]);
    const bootDir = path.join(extracted, "boot");
    const vmlinuz = fs.readdirSync(bootDir).find((name) => name.startsWith("vmlinuz-"));
    if (vmlinuz === undefined) throw new Error(`Cannot find boot/vmlinuz-* in ${deb}`);
    fs.copyFileSync(path.join(bootDir, vmlinuz), file);
    fs.rmSync(extracted, { recursive: true, force: true });
  }
  return { file, label: `${pkg} ${version}` };
}

function prepareInitramfs(): { file: string; label: string } {
  const pkg = "busybox-static";
  const version = candidateVersion(pkg);
  const scriptHash = createHash("sha256").update(initScript).digest("hex").slice(0, 12);
  const file = path.join(linuxGuestDir, `initramfs-busybox-${version.replace(/[^0-9A-Za-z.+-]/g, "_")}-${scriptHash}.cpio.gz`);
  if (!fs.existsSync(file)) {
    const deb = downloadPackage(pkg, path.join(linuxGuestDir, "debs"));
    const extracted = path.join(linuxGuestDir, "extract-busybox");
    fs.rmSync(extracted, { recursive: true, force: true });
    extractMembers(deb, extracted, ["./bin/busybox"]);
    const busybox = fs.readFileSync(path.join(extracted, "bin", "busybox"));
    fs.rmSync(extracted, { recursive: true, force: true });
    const archive = cpioNewc([
      { kind: "dir", path: "bin" },
      { kind: "file", path: "bin/busybox", data: busybox, mode: 0o755 },
      { kind: "symlink", path: "bin/sh", target: "busybox" },
      { kind: "dir", path: "dev" },
      { kind: "char", path: "dev/console", major: 5, minor: 1 },
      { kind: "char", path: "dev/port", major: 1, minor: 4 },
      { kind: "char", path: "dev/null", major: 1, minor: 3, mode: 0o666 },
      { kind: "dir", path: "proc" },
      { kind: "dir", path: "sys" },
      { kind: "file", path: "init", data: Buffer.from(initScript, "utf8"), mode: 0o755 },
    ]);
    fs.mkdirSync(linuxGuestDir, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, gzipSync(archive, { level: 9 }));
    fs.renameSync(`${file}.tmp`, file);
  }
  return { file, label: `${pkg} ${version}` };
}

/** Downloads and builds what is missing, then returns the cached guest. */
export function prepareLinuxGuest(): LinuxGuest {
  fs.mkdirSync(linuxGuestDir, { recursive: true });
  const kernel = prepareKernel();
  const initramfs = prepareInitramfs();
  return {
    kernel: kernel.file,
    initrd: initramfs.file,
    kernelPackage: kernel.label,
    busyboxPackage: initramfs.label,
    cmdline: linuxCmdline(),
    helloLine: linuxHelloLine,
  };
}
