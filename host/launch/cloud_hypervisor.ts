/**
 * The cloud-hypervisor command line, exactly as its documentation gives a direct kernel boot:
 *   cloud-hypervisor --kernel build/skiff.elf [--initramfs build/apps/APP.img] --cmdline "..."
 *                    --memory size=64M --cpus boot=1 --serial tty --console off
 * (`--initramfs <initramfs>`: "Path to initramfs image", loaded as PVH module 0 for a PVH kernel),
 * plus the device flags of devices.ts (--disk path=…,readonly=on, --rng src=…),
 * plus the checks that make a missing binary or an unusable /dev/kvm a clear error instead of
 * a spawn failure. cloud-hypervisor exits 0 on guest shutdown, so callers read the exit code
 * from the console (exit_status.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { kvmStatus } from "./kvm.ts";
import { paths } from "./paths.ts";

export interface CloudHypervisorProfile {
  readonly binary: string;
  readonly cpus: string;
  readonly serial: string;
  readonly console: string;
  readonly cmdline: readonly string[];
}

export interface CloudHypervisorBoot {
  readonly profile: CloudHypervisorProfile;
  readonly kernel: string;
  /** An app image (build/apps/APP.img), passed as --initramfs. */
  readonly initramfs?: string;
  readonly cmdline: string;
  /** "64M" */
  readonly memory: string;
}

export function loadCloudHypervisorProfile(): CloudHypervisorProfile {
  const file = path.join(paths.hypervisorConfigs, "cloud-hypervisor.json");
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  const text = (field: string): string => {
    const value = raw[field];
    if (typeof value !== "string") throw new TypeError(`Cannot read ${file}: ${field} is not a string`);
    return value;
  };
  const cmdline = raw.cmdline;
  if (!Array.isArray(cmdline) || !cmdline.every((word) => typeof word === "string")) {
    throw new TypeError(`Cannot read ${file}: cmdline is not an array of strings`);
  }
  return { binary: text("binary"), cpus: text("cpus"), serial: text("serial"), console: text("console"), cmdline };
}

export function cloudHypervisorArgs(boot: CloudHypervisorBoot): string[] {
  return [
    "--kernel", boot.kernel,
    ...(boot.initramfs !== undefined ? ["--initramfs", boot.initramfs] : []),
    "--cmdline", boot.cmdline,
    "--memory", `size=${boot.memory}`,
    "--cpus", boot.profile.cpus,
    "--serial", boot.profile.serial,
    "--console", boot.profile.console,
  ];
}

/** Finds an executable on PATH (or the path itself when it contains a slash). */
export function findExecutable(name: string, searchPath = process.env.PATH ?? ""): string | undefined {
  const candidates = name.includes("/") ? [name] : searchPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

/**
 * Why cloud-hypervisor cannot run here, or undefined when it can. Both conditions are reported
 * at once so the user fixes them in one go.
 */
export function cloudHypervisorUnavailable(profile: CloudHypervisorProfile, searchPath?: string, kvmDevice?: string): string | undefined {
  const problems: string[] = [];
  if (findExecutable(profile.binary, searchPath) === undefined) {
    problems.push(`the ${profile.binary} binary is not on PATH (install cloud-hypervisor, or use --vmm qemu)`);
  }
  const kvm = kvmStatus(kvmDevice);
  if (!kvm.usable) problems.push(`KVM is not usable: ${kvm.reason} (cloud-hypervisor runs on KVM only; --vmm qemu falls back to TCG)`);
  if (problems.length === 0) return undefined;
  return `Cannot run cloud-hypervisor: ${problems.join("; ")}`;
}
