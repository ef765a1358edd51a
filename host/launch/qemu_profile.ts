/**
 * Reads a qemu profile from hypervisor-configs/qemu-<machine>.json: the machine, its device set
 * and the flags per accelerator. The launcher owns no device list of its own.
 */
import fs from "node:fs";
import path from "node:path";
import type { QemuVirtioTemplates } from "./devices.ts";
import { paths } from "./paths.ts";

export const qemuMachines = ["q35", "microvm"] as const;
export type QemuMachine = (typeof qemuMachines)[number];

export interface QemuProfile {
  readonly name: QemuMachine;
  /** The `-M` argument, machine options included. */
  readonly machine: string;
  readonly base: readonly string[];
  /** One `-device` each. */
  readonly devices: readonly string[];
  /** Words this profile adds to the kernel command line (e.g. debug_exit=0xf4). */
  readonly cmdline: readonly string[];
  readonly accel: { readonly kvm: readonly string[]; readonly tcg: readonly string[] };
  /** qemu arguments per virtio device kind, with {placeholders} (devices.ts). */
  readonly virtio: QemuVirtioTemplates;
}

function stringArray(value: unknown, field: string, file: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new TypeError(`Cannot read qemu profile ${file}: ${field} is not an array of strings`);
  }
  return value;
}

export function loadQemuProfile(machine: QemuMachine): QemuProfile {
  const file = path.join(paths.hypervisorConfigs, `qemu-${machine}.json`);
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  if (raw.name !== machine || typeof raw.machine !== "string") {
    throw new TypeError(`Cannot read qemu profile ${file}: name must be "${machine}" and machine a string`);
  }
  const accel = raw.accel as Record<string, unknown> | undefined;
  const virtio = raw.virtio as Record<string, unknown> | undefined;
  const virtioMachine = virtio?.machine;
  if (virtioMachine !== undefined && typeof virtioMachine !== "string") {
    throw new TypeError(`Cannot read qemu profile ${file}: virtio.machine is not a string`);
  }
  return {
    name: machine,
    machine: raw.machine,
    base: stringArray(raw.base, "base", file),
    devices: stringArray(raw.devices, "devices", file),
    cmdline: stringArray(raw.cmdline, "cmdline", file),
    accel: {
      kvm: stringArray(accel?.kvm, "accel.kvm", file),
      tcg: stringArray(accel?.tcg, "accel.tcg", file),
    },
    virtio: {
      ...(virtioMachine !== undefined ? { machine: virtioMachine } : {}),
      net: stringArray(virtio?.net, "virtio.net", file),
      netTap: stringArray(virtio?.netTap, "virtio.netTap", file),
      netUser: stringArray(virtio?.netUser, "virtio.netUser", file),
      disk: stringArray(virtio?.disk, "virtio.disk", file),
      rng: stringArray(virtio?.rng, "virtio.rng", file),
      channel: stringArray(virtio?.channel, "virtio.channel", file),
      serialChannel: stringArray(virtio?.serialChannel, "virtio.serialChannel", file),
    },
  };
}
