/**
 * The Linux baseline guest every Skiff benchmark is compared against: Debian bookworm's own
 * kernel (vmlinuz from the linux-image package, extracted, never installed) and an initramfs
 * of Debian's busybox-static whose /init prints one line and powers off. Both are cached
 * under build/linux-guest/, keyed by package version, so only the first run downloads.
 *
 *   const guest = prepareLinuxGuest();
 *   launch({ kernel: guest.kernel, initrd: guest.initrd, cmdline: guest.cmdline, bareCmdline: true, ... })
 *
 * With a workload (init_script.ts), the initramfs also holds the named kernel modules, taken
 * from the same kernel package (Debian builds virtio-pci and virtio-blk as modules), and /init
 * runs the command timed inside the guest:
 *   prepareLinuxGuest({ modules: virtioBlkModules, run: "dd if=/dev/vda of=/dev/null bs=64k" })
 * and, given `programs`, extra executables in /bin (bench/net puts a static server there):
 *   prepareLinuxGuest({ modules: virtioNetModules, run: "…; linux-server", programs: [{ name: "linux-server", data }] })
 * Unknown `name=value` words on the kernel command line reach /init (and so `run`) as
 * environment variables: per-run settings go there, so the cached initramfs stays the same.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { paths } from "../../host/launch/paths.ts";
import { cpioNewc } from "./cpio_newc.ts";
import { candidateVersion, currentKernelPackage, downloadPackage, extractMembers } from "./debian_package.ts";
import { hostTscKhz } from "./host_tsc.ts";
import { initScript, initScriptFor, linuxHelloLine, linuxRunPattern, type LinuxWorkload } from "./init_script.ts";

export { linuxHelloLine, linuxRunPattern, type LinuxWorkload };

/** The modules, in dependency order (each .ko's depends= field), that give Debian's kernel a modern virtio-pci disk at /dev/vda. */
export const virtioBlkModules = [
  "kernel/drivers/virtio/virtio_ring.ko",
  "kernel/drivers/virtio/virtio.ko",
  "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
  "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
  "kernel/drivers/virtio/virtio_pci.ko",
  "kernel/drivers/block/virtio_blk.ko",
] as const;

/** The modules, in dependency order, that give Debian's kernel a modern virtio-pci NIC (eth0). */
export const virtioNetModules = [
  "kernel/drivers/virtio/virtio_ring.ko",
  "kernel/drivers/virtio/virtio.ko",
  "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
  "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
  "kernel/drivers/virtio/virtio_pci.ko",
  "kernel/net/core/failover.ko",
  "kernel/drivers/net/net_failover.ko",
  "kernel/drivers/net/virtio_net.ko",
] as const;

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

function prepareKernel(): { file: string; label: string; pkg: string } {
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
  return { file, label: `${pkg} ${version}`, pkg };
}

/** The workload's modules out of the kernel package, flattened to their file names. */
function kernelModules(kernelPkg: string, modules: readonly string[]): Array<{ name: string; data: Buffer }> {
  if (modules.length === 0) return [];
  const deb = downloadPackage(kernelPkg, path.join(linuxGuestDir, "debs"));
  const release = kernelPkg.replace(/^linux-image-/, "");
  const extracted = path.join(linuxGuestDir, "extract-modules");
  fs.rmSync(extracted, { recursive: true, force: true });
  extractMembers(deb, extracted, modules.map((module) => `./lib/modules/${release}/${module}`));
  const files = modules.map((module) => ({ name: path.basename(module), data: fs.readFileSync(path.join(extracted, "lib", "modules", release, module)) }));
  fs.rmSync(extracted, { recursive: true, force: true });
  return files;
}

function prepareInitramfs(kernelPkg: string, workload: LinuxWorkload | undefined): { file: string; label: string } {
  const pkg = "busybox-static";
  const version = candidateVersion(pkg);
  const script = workload === undefined ? initScript : initScriptFor({ ...workload, modules: workload.modules.map((module) => path.basename(module)) });
  const hash = createHash("sha256").update(script).update(workload?.modules.join(" ") ?? "").update(workload === undefined ? "" : kernelPkg);
  // Only a workload with programs hashes them, so every other initramfs keeps its name.
  for (const program of workload?.programs ?? []) hash.update(program.name).update(program.data);
  for (const file of workload?.files ?? []) hash.update(file.path).update(String(file.mode ?? 0o644)).update(file.data);
  const scriptHash = hash.digest("hex").slice(0, 12);
  const programs = workload?.programs ?? [];
  for (const program of programs) {
    if (!/^[A-Za-z0-9_.-]+$/.test(program.name)) throw new Error(`Cannot put program ${JSON.stringify(program.name)} in the initramfs: not a file name`);
  }
  const file = path.join(linuxGuestDir, `initramfs-busybox-${version.replace(/[^0-9A-Za-z.+-]/g, "_")}-${scriptHash}.cpio.gz`);
  if (!fs.existsSync(file)) {
    const deb = downloadPackage(pkg, path.join(linuxGuestDir, "debs"));
    const extracted = path.join(linuxGuestDir, "extract-busybox");
    fs.rmSync(extracted, { recursive: true, force: true });
    extractMembers(deb, extracted, ["./bin/busybox"]);
    const busybox = fs.readFileSync(path.join(extracted, "bin", "busybox"));
    fs.rmSync(extracted, { recursive: true, force: true });
    const modules = kernelModules(kernelPkg, workload?.modules ?? []);
    const files = workload?.files ?? [];
    // Parents of the extra files that the fixed layout below does not already make, outermost first.
    const fixedDirs = new Set(["bin", "dev", "proc", "sys", ...(modules.length > 0 ? ["lib", "lib/modules"] : [])]);
    const extraDirs = [...new Set(files.flatMap((file) => {
      if (file.path.startsWith("/") || file.path.split("/").includes("..")) throw new Error(`Cannot put ${file.path} in the initramfs: not a relative path`);
      const parts = file.path.split("/").slice(0, -1);
      return parts.map((_, at) => parts.slice(0, at + 1).join("/"));
    }))].filter((dir) => !fixedDirs.has(dir)).sort((a, b) => a.split("/").length - b.split("/").length);
    const archive = cpioNewc([
      { kind: "dir", path: "bin" },
      { kind: "file", path: "bin/busybox", data: busybox, mode: 0o755 },
      { kind: "symlink", path: "bin/sh", target: "busybox" },
      ...programs.map((program) => ({ kind: "file", path: `bin/${program.name}`, data: Buffer.from(program.data), mode: 0o755 }) as const),
      { kind: "dir", path: "dev" },
      { kind: "char", path: "dev/console", major: 5, minor: 1 },
      { kind: "char", path: "dev/port", major: 1, minor: 4 },
      { kind: "char", path: "dev/null", major: 1, minor: 3, mode: 0o666 },
      { kind: "dir", path: "proc" },
      { kind: "dir", path: "sys" },
      ...(modules.length > 0
        ? [
            { kind: "dir", path: "lib" } as const,
            { kind: "dir", path: "lib/modules" } as const,
            ...modules.map((module) => ({ kind: "file", path: `lib/modules/${module.name}`, data: module.data }) as const),
          ]
        : []),
      ...extraDirs.map((dir) => ({ kind: "dir", path: dir }) as const),
      ...files.map((file) => ({ kind: "file", path: file.path, data: Buffer.from(file.data), mode: file.mode ?? 0o644 }) as const),
      { kind: "file", path: "init", data: Buffer.from(script, "utf8"), mode: 0o755 },
    ]);
    fs.mkdirSync(linuxGuestDir, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, gzipSync(archive, { level: 9 }));
    fs.renameSync(`${file}.tmp`, file);
  }
  return { file, label: `${pkg} ${version}` };
}

/** Downloads and builds what is missing, then returns the cached guest (hello, or the workload). */
export function prepareLinuxGuest(workload?: LinuxWorkload): LinuxGuest {
  fs.mkdirSync(linuxGuestDir, { recursive: true });
  const kernel = prepareKernel();
  const initramfs = prepareInitramfs(kernel.pkg, workload);
  return {
    kernel: kernel.file,
    initrd: initramfs.file,
    kernelPackage: kernel.label,
    busyboxPackage: initramfs.label,
    cmdline: linuxCmdline(),
    helloLine: linuxHelloLine,
  };
}
