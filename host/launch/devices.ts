/**
 * The devices a VM is booted with besides its console: virtio-net on a UDP datagram wire or
 * a tap device, virtio-blk over a raw file, virtio-rng, and a byte channel on a unix socket (skiff dev's
 * development channel): a virtio-console port, or the 16550 UART with the console moved to virtio-console.
 * One description (VmDevice) serves `skiff run`'s flags, the vm tests and the benchmark; the
 * VMM's own syntax comes from data: qemu's from the profile's `virtio` templates
 * (hypervisor-configs/qemu-*.json), cloud-hypervisor's from its documented flags
 * (`--net`, `--disk path=…,readonly=on`, `--rng src=…`, `--serial socket=…` for a serial channel; no
 * virtio-console channel: its --console has no socket backend).
 *
 * CLI forms (parseDeviceFlag):
 *   --net dgram:LOCALPORT:REMOTEPORT   frames in UDP datagrams between 127.0.0.1 ports
 *   --net tap:IFNAME                   an existing tap device (qemu opens it, no scripts run);
 *                                      with --netns NS the VMM runs inside that namespace
 *   --net user:HOSTPORT:GUESTPORT      qemu's user-mode network (slirp: DHCP, NAT, no root)
 *                                      with TCP 127.0.0.1:HOSTPORT forwarded to the guest's GUESTPORT
 *   --disk FILE[,ro]                   raw image; ",ro" makes it read-only
 *   --rng                              virtio-rng
 *   --channel unix:PATH                virtio-console port; the VMM listens on PATH
 *   --channel serial:PATH              the 16550 UART; the VMM listens on PATH, and the console
 *                                      moves to a virtio-console port (the kernel gets devchannel=serial)
 */

export type VmDevice =
  | { readonly kind: "net"; readonly backend: "dgram"; readonly localPort: number; readonly remotePort: number }
  | { readonly kind: "net"; readonly backend: "tap"; readonly ifname: string }
  | { readonly kind: "net"; readonly backend: "user"; readonly hostPort: number; readonly guestPort: number }
  | { readonly kind: "disk"; readonly file: string; readonly readOnly: boolean }
  | { readonly kind: "rng" }
  | { readonly kind: "channel"; readonly socket: string; readonly transport: ChannelTransport };

/** Where a byte channel rides: a virtio-console port, or the serial port (the console then on virtio-console). */
export type ChannelTransport = "virtio-console" | "serial";

/** Whether `devices` put a channel on the serial port: the console moves, and the kernel must be told. */
export function hasSerialChannel(devices: readonly VmDevice[]): boolean {
  return devices.some((device) => device.kind === "channel" && device.transport === "serial");
}

export type VmDeviceKind = VmDevice["kind"];
export const vmDeviceKinds: readonly VmDeviceKind[] = ["net", "disk", "rng", "channel"];

/** A device flag that cannot be understood; the CLI turns it into a usage error. */
export class DeviceSyntaxError extends Error {
  override readonly name = "DeviceSyntaxError";
}

function port(flag: string, text: string, what: string): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new DeviceSyntaxError(`Cannot use ${flag}: ${what} ${JSON.stringify(text)} is not a port number (1–65535)`);
  }
  return value;
}

/** Parses one device flag's value; `flag` is "--net", "--disk", "--rng" or "--channel". */
export function parseDeviceFlag(flag: string, value: string | undefined): VmDevice {
  switch (flag) {
    case "--net": {
      const tap = /^tap:(.*)$/.exec(value ?? "");
      if (tap !== null) {
        // Linux interface names: 1–15 bytes, no "/", ":", whitespace (dev_valid_name); "," would split qemu's option.
        if (!/^[A-Za-z0-9_.-]{1,15}$/.test(tap[1]!)) throw new DeviceSyntaxError(`Cannot use --net ${JSON.stringify(value)}: ${JSON.stringify(tap[1])} is not an interface name (1–15 letters, digits, "_", "-", ".")`);
        return { kind: "net", backend: "tap", ifname: tap[1]! };
      }
      const user = /^user:([^:]*):([^:]*)$/.exec(value ?? "");
      if (user !== null) return { kind: "net", backend: "user", hostPort: port(flag, user[1]!, "HOSTPORT"), guestPort: port(flag, user[2]!, "GUESTPORT") };
      const match = /^dgram:([^:]*):([^:]*)$/.exec(value ?? "");
      if (match === null) throw new DeviceSyntaxError(`Cannot use --net ${JSON.stringify(value ?? "")}: expected dgram:LOCALPORT:REMOTEPORT, tap:IFNAME or user:HOSTPORT:GUESTPORT`);
      return { kind: "net", backend: "dgram", localPort: port(flag, match[1]!, "LOCALPORT"), remotePort: port(flag, match[2]!, "REMOTEPORT") };
    }
    case "--disk": {
      const text = value ?? "";
      const readOnly = text.endsWith(",ro");
      const file = readOnly ? text.slice(0, -3) : text;
      if (file.length === 0) throw new DeviceSyntaxError(`Cannot use --disk ${JSON.stringify(text)}: expected FILE or FILE,ro`);
      return { kind: "disk", file, readOnly };
    }
    case "--rng":
      return { kind: "rng" };
    case "--channel": {
      const match = /^(unix|serial):(.+)$/.exec(value ?? "");
      if (match === null) throw new DeviceSyntaxError(`Cannot use --channel ${JSON.stringify(value ?? "")}: expected unix:PATH (virtio-console) or serial:PATH (the serial port)`);
      return { kind: "channel", socket: match[2]!, transport: match[1] === "serial" ? "serial" : "virtio-console" };
    }
    default:
      throw new DeviceSyntaxError(`Cannot use ${flag}: not a device flag`);
  }
}

/** The flags that take a value (all but --rng). */
export const deviceFlags: Readonly<Record<string, boolean>> = { "--net": true, "--disk": true, "--rng": false, "--channel": true };

// ---- qemu ------------------------------------------------------------------------------

/**
 * A profile's `virtio` section: for each device kind, the qemu arguments with {placeholders};
 * `machine`, when present, replaces the profile's -M argument as soon as any device is
 * attached (microvm needs pcie=on to have a PCI bus at all).
 */
export interface QemuVirtioTemplates {
  readonly machine?: string;
  readonly net: readonly string[];
  /** virtio-net on a tap device ({ifname}). */
  readonly netTap: readonly string[];
  /** virtio-net on qemu's user-mode network, TCP {hostPort} forwarded to the guest's {guestPort}. */
  readonly netUser: readonly string[];
  readonly disk: readonly string[];
  readonly rng: readonly string[];
  readonly channel: readonly string[];
  /** The channel on the serial port ({path}), the console on a virtconsole port on stdout. */
  readonly serialChannel: readonly string[];
}

/** qemu's option parser splits on commas; a literal comma in a value is written twice. */
export function qemuOptionValue(text: string): string {
  return text.replaceAll(",", ",,");
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TypeError(`Cannot fill qemu device template ${JSON.stringify(template)}: no value for {${name}}`);
    return value;
  });
}

/** qemu arguments for `devices`, in order; each kind numbers its devices from 0 ({index}). */
export function qemuDeviceArgs(templates: QemuVirtioTemplates, devices: readonly VmDevice[]): string[] {
  const counts: Record<VmDeviceKind, number> = { net: 0, disk: 0, rng: 0, channel: 0 };
  const args: string[] = [];
  for (const device of devices) {
    const index = String(counts[device.kind]++);
    let values: Record<string, string>;
    let template: readonly string[] = templates[device.kind];
    switch (device.kind) {
      case "net":
        if (device.backend === "tap") {
          template = templates.netTap;
          values = { index, ifname: device.ifname };
        } else if (device.backend === "user") {
          template = templates.netUser;
          values = { index, hostPort: String(device.hostPort), guestPort: String(device.guestPort) };
        } else values = { index, localPort: String(device.localPort), remotePort: String(device.remotePort) };
        break;
      case "disk": values = { index, file: qemuOptionValue(device.file), readonly: device.readOnly ? "on" : "off" }; break;
      case "rng": values = { index }; break;
      case "channel":
        if (device.transport === "serial") template = templates.serialChannel;
        values = { index, path: qemuOptionValue(device.socket) };
        break;
    }
    for (const word of template) args.push(fill(word, values));
  }
  return args;
}

// ---- cloud-hypervisor ------------------------------------------------------------------

/**
 * cloud-hypervisor's flags for `devices`, as its --help documents them. It has no UDP
 * datagram network backend (only tap and vhost-user: `--net tap=IFNAME`), and its one
 * virtio-console (`--console`) has no socket backend (off|null|pty|tty|file=), so a byte
 * channel rides on its serial port instead (`--serial socket=PATH`, which it listens on),
 * with the console on `--console tty`; both limits are errors, not silent drops. Returns
 * the extra arguments, and the --serial and --console values when a channel changes them.
 */
export function cloudHypervisorDeviceArgs(devices: readonly VmDevice[]): { args: string[]; serial?: string; console?: string } {
  let serial: string | undefined;
  const disks: string[] = [];
  const nets: string[] = [];
  const args: string[] = [];
  for (const device of devices) {
    switch (device.kind) {
      case "net":
        if (device.backend === "tap") { nets.push(`tap=${device.ifname}`); break; }
        if (device.backend === "user") throw new DeviceSyntaxError("Cannot attach --net user:… to cloud-hypervisor: it has no user-mode network (use a tap: --net tap:IFNAME, or --vmm qemu)");
        throw new DeviceSyntaxError("Cannot attach --net dgram:… to cloud-hypervisor: its --net has tap and vhost-user backends only, no UDP datagram socket (use --vmm qemu)");
      case "disk":
        disks.push(`path=${device.file}${device.readOnly ? ",readonly=on" : ""}`);
        break;
      case "rng":
        args.push("--rng", "src=/dev/urandom");
        break;
      case "channel":
        // cloud-hypervisor --help: --console "off|null|pty|tty|file=</path/to/a/file>,iommu=on|off"; --serial also takes socket=.
        if (device.transport !== "serial") throw new DeviceSyntaxError("Cannot attach --channel unix:… to cloud-hypervisor: its virtio-console (--console) has no socket backend, only off|null|pty|tty|file= (use --channel serial:PATH, or --vmm qemu)");
        if (serial !== undefined) throw new DeviceSyntaxError("Cannot attach two --channel serial:… to cloud-hypervisor: it has one serial port");
        serial = `socket=${device.socket}`;
        break;
    }
  }
  // --disk takes every disk after one flag ("--disk <disk>..."), like --net.
  if (disks.length > 0) args.push("--disk", ...disks);
  if (nets.length > 0) args.push("--net", ...nets);
  return serial === undefined ? { args } : { args, serial, console: "tty" };
}
