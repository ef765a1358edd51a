/**
 * Device options, from `skiff run`'s flags to the VMM's command line: qemu's arguments come
 * from the profile's virtio templates (modern virtio-pci, disable-legacy=on; microvm switches
 * to pcie=on), cloud-hypervisor's are its documented flags, and what a VMM cannot do is a
 * clear error. Pure: nothing is booted here.
 */
import test from "ava";
import { cloudHypervisorArgs, loadCloudHypervisorProfile } from "../../host/launch/cloud_hypervisor.ts";
import { cloudHypervisorDeviceArgs, parseDeviceFlag, qemuOptionValue, type VmDevice } from "../../host/launch/devices.ts";
import { launch, LaunchError } from "../../host/launch/launch.ts";
import { loadQemuProfile } from "../../host/launch/qemu_profile.ts";
import { qemuArgs } from "../../host/launch/qemu.ts";
import { parseRunArgs } from "../../host/cli/run_args.ts";
import { UsageError } from "../../host/cli/usage.ts";

const everyDevice: readonly VmDevice[] = [
  { kind: "net", backend: "dgram", localPort: 40001, remotePort: 40002 },
  { kind: "disk", file: "/tmp/a.img", readOnly: false },
  { kind: "disk", file: "/tmp/b,c.img", readOnly: true },
  { kind: "rng" },
  { kind: "channel", socket: "/tmp/chan.sock", transport: "virtio-console" },
];

/** The value after each occurrence of `flag`. */
function valuesOf(args: readonly string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag ? [args[i + 1] ?? ""] : []));
}

test("skiff run parses --net, --disk, --rng and --channel in order", (t) => {
  const options = parseRunArgs(["test-blk", "--net", "dgram:5000:5001", "--disk", "d.img,ro", "--disk", "e.img", "--rng", "--channel", "unix:/tmp/c.sock"]);
  t.deepEqual(options.devices, [
    { kind: "net", backend: "dgram", localPort: 5000, remotePort: 5001 },
    { kind: "disk", file: "d.img", readOnly: true },
    { kind: "disk", file: "e.img", readOnly: false },
    { kind: "rng" },
    { kind: "channel", socket: "/tmp/c.sock", transport: "virtio-console" },
  ]);
  t.is(options.app, "test-blk");
});

test("bad device flags are usage errors that say what was expected", (t) => {
  const cases: Array<[string[], RegExp]> = [
    [["--net", "tcp:x"], /expected dgram:LOCALPORT:REMOTEPORT, tap:IFNAME or user:HOSTPORT:GUESTPORT/],
    [["--net", "dgram:0:5"], /LOCALPORT "0" is not a port number/],
    [["--net", "dgram:5:70000"], /REMOTEPORT "70000" is not a port number/],
    [["--disk", ",ro"], /expected FILE or FILE,ro/],
    [["--channel", "/tmp/x"], /expected unix:PATH \(virtio-console\) or serial:PATH/],
    [["--disk"], /--disk: it needs a value/],
    [["--hosted", "--rng"], /Cannot attach --rng with --hosted/],
    [["--hosted", "--channel", "unix:/tmp/x"], /Cannot attach --channel with --hosted/],
    [["--hosted", "--disk", "a.img", "--disk", "b.img"], /more than one --disk with --hosted/],
  ];
  for (const [argv, message] of cases) {
    const error = t.throws(() => parseRunArgs(argv), { instanceOf: UsageError }, argv.join(" "));
    t.regex(error?.message ?? "", message);
  }
});

test("--hosted takes one --net dgram and one --disk, like a VM", (t) => {
  const options = parseRunArgs(["--hosted", "--net", "dgram:4000:4001", "--disk", "d.img,ro"]);
  t.deepEqual(options.devices, [
    { kind: "net", backend: "dgram", localPort: 4000, remotePort: 4001 },
    { kind: "disk", file: "d.img", readOnly: true },
  ]);
});

test("parseDeviceFlag keeps a file name that merely contains commas", (t) => {
  t.deepEqual(parseDeviceFlag("--disk", "a,b.img"), { kind: "disk", file: "a,b.img", readOnly: false });
  t.deepEqual(parseDeviceFlag("--disk", "a,b.img,ro"), { kind: "disk", file: "a,b.img", readOnly: true });
});

test("q35: every device is modern virtio-pci on the profile's machine", (t) => {
  const args = qemuArgs({ profile: loadQemuProfile("q35"), accel: "tcg", memory: "64M", kernel: "k.elf", append: "app=x", devices: everyDevice });
  t.is(args[args.indexOf("-M") + 1], "q35");
  t.deepEqual(valuesOf(args, "-netdev"), ["dgram,id=net0,local.type=inet,local.host=127.0.0.1,local.port=40001,remote.type=inet,remote.host=127.0.0.1,remote.port=40002"]);
  t.deepEqual(valuesOf(args, "-drive"), [
    "file=/tmp/a.img,if=none,id=disk0,format=raw,readonly=off",
    `file=${qemuOptionValue("/tmp/b,c.img")},if=none,id=disk1,format=raw,readonly=on`,
  ]);
  t.is(qemuOptionValue("/tmp/b,c.img"), "/tmp/b,,c.img");
  t.deepEqual(valuesOf(args, "-chardev"), ["socket,id=chan0,path=/tmp/chan.sock,server=on,wait=off"]);
  t.deepEqual(valuesOf(args, "-device"), [
    "isa-debug-exit,iobase=0xf4,iosize=0x04",
    "virtio-net-pci,netdev=net0,disable-legacy=on",
    "virtio-blk-pci,drive=disk0,disable-legacy=on",
    "virtio-blk-pci,drive=disk1,disable-legacy=on",
    "virtio-rng-pci,disable-legacy=on",
    "virtio-serial-pci,id=vserial0,disable-legacy=on",
    "virtconsole,chardev=chan0,bus=vserial0.0",
  ]);
  t.true(args.indexOf("-netdev") < args.indexOf("-kernel"), "devices come before -kernel");
});

test("microvm gets pcie=on only when a device is attached", (t) => {
  const profile = loadQemuProfile("microvm");
  const bare = qemuArgs({ profile, accel: "tcg", memory: "64M", kernel: "k.elf", append: "" });
  const withRng = qemuArgs({ profile, accel: "tcg", memory: "64M", kernel: "k.elf", append: "", devices: [{ kind: "rng" }] });
  t.notRegex(bare[bare.indexOf("-M") + 1] ?? "", /pcie=on/);
  t.regex(withRng[withRng.indexOf("-M") + 1] ?? "", /^microvm,.*,pcie=on$/);
  t.true(withRng.includes("virtio-rng-pci,disable-legacy=on"));
});

test("cloud-hypervisor: --disk path=…,readonly=on and --rng src=…; --console stays the profile's", (t) => {
  const devices = cloudHypervisorDeviceArgs(everyDevice.filter((device) => device.kind !== "net" && device.kind !== "channel"));
  t.deepEqual(devices.args, ["--rng", "src=/dev/urandom", "--disk", "path=/tmp/a.img", "path=/tmp/b,c.img,readonly=on"]);
  const args = cloudHypervisorArgs({ profile: loadCloudHypervisorProfile(), kernel: "k.elf", cmdline: "app=x", memory: "64M" });
  t.deepEqual(valuesOf(args, "--console"), ["off"]);
});

test("cloud-hypervisor refuses what it cannot attach: a dgram wire, a channel on a socket (its --console has no socket backend)", (t) => {
  t.throws(() => cloudHypervisorDeviceArgs([{ kind: "net", backend: "dgram", localPort: 1, remotePort: 2 }]), { message: /tap and vhost-user backends only/ });
  t.throws(() => cloudHypervisorDeviceArgs([{ kind: "channel", socket: "a", transport: "virtio-console" }]), { message: /no socket backend, only off\|null\|pty\|tty\|file=/ });
  // Through the launcher it is a LaunchError before anything is spawned (binary or KVM
  // missing is reported first on machines without cloud-hypervisor).
  t.throws(() => launch({ vmm: "cloud-hypervisor", machine: "q35", accel: "auto", memory: "64M", cmdline: "", timeoutMs: 1000, devices: [{ kind: "rng" }] }), { instanceOf: LaunchError });
});

test("a channel on the serial port: qemu's COM1 goes to the socket and the console to a virtconsole on stdout; cloud-hypervisor gets --serial socket= and --console tty", (t) => {
  t.deepEqual(parseRunArgs(["--channel", "serial:/tmp/s.sock"]).devices, [{ kind: "channel", socket: "/tmp/s.sock", transport: "serial" }]);
  const serial: VmDevice = { kind: "channel", socket: "/tmp/s,s.sock", transport: "serial" };
  const args = qemuArgs({ profile: loadQemuProfile("q35"), accel: "tcg", memory: "64M", kernel: "k.elf", append: "app=x devchannel=serial", devices: [serial] });
  t.deepEqual(valuesOf(args, "-serial"), ["unix:/tmp/s,,s.sock,server=on,wait=off"], "the profile's -serial stdio is gone: the channel is COM1");
  t.deepEqual(valuesOf(args, "-chardev"), ["stdio,id=console0"]);
  t.true(valuesOf(args, "-device").includes("virtconsole,chardev=console0,bus=vconsole0.0"));
  const plain = qemuArgs({ profile: loadQemuProfile("q35"), accel: "tcg", memory: "64M", kernel: "k.elf", append: "app=x" });
  t.deepEqual(valuesOf(plain, "-serial"), ["stdio"]);

  const devices = cloudHypervisorDeviceArgs([{ kind: "channel", socket: "/tmp/s.sock", transport: "serial" }]);
  t.deepEqual(devices, { args: [], serial: "socket=/tmp/s.sock", console: "tty" });
  t.throws(() => cloudHypervisorDeviceArgs([serial, serial]), { message: /it has one serial port/ });
  const profile = loadCloudHypervisorProfile();
  const chArgs = cloudHypervisorArgs({ profile: { ...profile, serial: devices.serial!, console: devices.console! }, kernel: "k.elf", cmdline: "app=x", memory: "64M" });
  t.deepEqual([valuesOf(chArgs, "--serial"), valuesOf(chArgs, "--console")], [["socket=/tmp/s.sock"], ["tty"]]);
});

test("the launcher tells the kernel when the serial port is the channel (devchannel=serial)", async (t) => {
  const vm = launch({ vmm: "qemu", machine: "q35", accel: "tcg", memory: "64M", cmdline: "app=hello", timeoutMs: 60_000, devices: [{ kind: "channel", socket: "/tmp/skiff-launch-test.sock", transport: "serial" }] });
  vm.process.kill();
  await vm.result.catch(() => undefined);
  const append = valuesOf(vm.args, "-append")[0] ?? "";
  t.regex(append, /^app=hello devchannel=serial /);
});
