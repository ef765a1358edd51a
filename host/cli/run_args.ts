/** Parses `skiff run`'s arguments into RunOptions; every mistake is a UsageError. */
import { DeviceSyntaxError, deviceFlags, parseDeviceFlag, type VmDevice } from "../launch/devices.ts";
import { parseMemorySize } from "../launch/memory_size.ts";
import { qemuMachines, type QemuMachine } from "../launch/qemu_profile.ts";
import type { AccelChoice } from "../launch/qemu.ts";
import type { Vmm } from "../launch/launch.ts";
import { UsageError } from "./usage.ts";

export interface RunOptions {
  readonly app: string;
  readonly vmm: Vmm;
  readonly machine: QemuMachine;
  readonly machineGiven: boolean;
  readonly accel: AccelChoice;
  readonly memory: string;
  readonly hosted: boolean;
  readonly cmdline: string;
  /** Infinity for none. */
  readonly timeoutMs: number;
  readonly build: boolean;
  /**
   * --linked: boot the app linked into the kernel ELF, as `make build` links every app, with
   * no app image. Default false: the app's image (build/apps/APP.img) is the guest's PVH
   * module 0 (qemu -initrd, cloud-hypervisor --initramfs), or the hosted runner's bootImage.
   */
  readonly linked: boolean;
  /** --net, --disk, --rng, --channel, in the order given. */
  readonly devices: readonly VmDevice[];
  /**
   * --netns NS: run the VMM inside that network namespace (for --net tap:IFNAME there); with
   * --hosted, the tap bridge opens the tap there.
   */
  readonly netns?: string;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`Cannot use ${flag} ${JSON.stringify(value)}: expected one of ${allowed.join(", ")}`);
  }
  return value as T;
}

export function parseRunArgs(argv: readonly string[]): RunOptions {
  let app: string | undefined;
  let vmm: Vmm = "qemu";
  let machine: QemuMachine = "q35";
  let machineGiven = false;
  let accel: AccelChoice = "auto";
  let memory = "64M";
  let hosted = false;
  let cmdline = "";
  let timeoutMs = Infinity;
  let build = true;
  let linked = false;
  const devices: VmDevice[] = [];
  let netns: string | undefined;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`Cannot use ${arg}: it needs a value`);
      return next;
    };
    switch (arg) {
      case "--vmm": vmm = oneOf(arg, value(), ["qemu", "cloud-hypervisor"] as const); break;
      case "--machine": machine = oneOf(arg, value(), qemuMachines); machineGiven = true; break;
      case "--accel": accel = oneOf(arg, value(), ["auto", "kvm", "tcg"] as const); break;
      case "--mem":
        try {
          memory = parseMemorySize(value()).text;
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        break;
      case "--hosted": hosted = true; break;
      case "--cmdline": cmdline = value(); break;
      case "--timeout": {
        const text = value();
        const seconds = Number(text);
        if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`Cannot use --timeout ${JSON.stringify(text)}: expected seconds > 0`);
        timeoutMs = seconds * 1000;
        break;
      }
      case "--no-build": build = false; break;
      case "--linked": linked = true; break;
      case "--netns": {
        const name = value();
        if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`Cannot use --netns ${JSON.stringify(name)}: not a namespace name`);
        netns = name;
        break;
      }
      case "--net":
      case "--disk":
      case "--rng":
      case "--channel":
        try {
          devices.push(parseDeviceFlag(arg, deviceFlags[arg] === true ? value() : undefined));
        } catch (error) {
          if (error instanceof DeviceSyntaxError) throw new UsageError(error.message);
          throw error;
        }
        break;
      default:
        if (arg.startsWith("-")) throw new UsageError(`Cannot use ${arg}: unknown option`);
        if (app !== undefined) throw new UsageError(`Cannot run ${JSON.stringify(arg)}: one app at a time (already ${app})`);
        app = arg;
    }
  }
  if (vmm === "cloud-hypervisor" && machineGiven) throw new UsageError("Cannot use --machine with --vmm cloud-hypervisor: it has one machine");
  if (hosted && (vmm !== "qemu" || machineGiven)) throw new UsageError("Cannot use --hosted with --vmm or --machine: hosted runs no VM");
  if (hosted) checkHostedDevices(devices);
  if (hosted && netns !== undefined && !devices.some((device) => device.kind === "net" && device.backend === "tap")) {
    throw new UsageError("Cannot use --netns with --hosted without --net tap:IFNAME: the namespace is where the tap is (hosted runs no VM to move there)");
  }
  return { app: app ?? "hello", vmm, machine, machineGiven, accel, memory, hosted, cmdline, timeoutMs, build, linked, devices, ...(netns !== undefined ? { netns } : {}) };
}

/**
 * The hosted platform has one network device (UDP datagrams, or a tap through tapbridge) and
 * one file disk at most, and no rng or channel.
 */
function checkHostedDevices(devices: readonly VmDevice[]): void {
  for (const kind of ["rng", "channel"] as const) {
    if (devices.some((device) => device.kind === kind)) throw new UsageError(`Cannot attach --${kind} with --hosted: the hosted platform has no ${kind} device`);
  }
  for (const kind of ["net", "disk"] as const) {
    if (devices.filter((device) => device.kind === kind).length > 1) throw new UsageError(`Cannot attach more than one --${kind} with --hosted`);
  }
  if (devices.some((device) => device.kind === "net" && device.backend === "user")) {
    throw new UsageError("Cannot use --net user:… with --hosted: the user-mode network is qemu's (use --net dgram:… or tap:…)");
  }
}
