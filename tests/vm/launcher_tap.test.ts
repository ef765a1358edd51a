/**
 * Tap networking in the launcher: `--net tap:IFNAME` becomes qemu's `-netdev tap` from the
 * profile's netTap template (or cloud-hypervisor's `--net tap=`), and `--netns NS` runs the
 * VMM under `ip netns exec NS`. Pure: nothing is booted here (tests/vm/netns_tap.test.ts boots).
 */
import test from "ava";
import { cloudHypervisorDeviceArgs, parseDeviceFlag } from "../../host/launch/devices.ts";
import { launch, LaunchError } from "../../host/launch/launch.ts";
import { loadQemuProfile } from "../../host/launch/qemu_profile.ts";
import { qemuArgs } from "../../host/launch/qemu.ts";
import { parseRunArgs } from "../../host/cli/run_args.ts";
import { UsageError } from "../../host/cli/usage.ts";

test("--net tap:IFNAME and --netns NS parse", (t) => {
  const options = parseRunArgs(["hello", "--net", "tap:sk-tap3", "--netns", "skiff-net-3"]);
  t.deepEqual(options.devices, [{ kind: "net", backend: "tap", ifname: "sk-tap3" }]);
  t.is(options.netns, "skiff-net-3");
  t.is(parseRunArgs(["hello"]).netns, undefined);
});

test("--hosted takes --net tap:IFNAME, and --netns for where that tap is (tests/vm/hosted_tap.test.ts runs it)", (t) => {
  const options = parseRunArgs(["test-tcp-echo", "--hosted", "--net", "tap:sk-tap3", "--netns", "skiff-net-3"]);
  t.true(options.hosted);
  t.deepEqual(options.devices, [{ kind: "net", backend: "tap", ifname: "sk-tap3" }]);
  t.is(options.netns, "skiff-net-3");
});

test("bad tap names, bad namespace names and --netns with --hosted but no tap are usage errors", (t) => {
  const cases: Array<[string[], RegExp]> = [
    [["--net", "tap:"], /"" is not an interface name/],
    [["--net", "tap:a,b"], /"a,b" is not an interface name/],
    [["--net", "tap:sixteen-letterss"], /is not an interface name \(1–15/],
    [["--netns", "a/b"], /Cannot use --netns "a\/b": not a namespace name/],
    [["--hosted", "--netns", "ns"], /Cannot use --netns with --hosted without --net tap:IFNAME/],
    [["--hosted", "--net", "dgram:5000:5001", "--netns", "ns"], /Cannot use --netns with --hosted without --net tap:IFNAME/],
    [["--hosted", "--net", "tap:t0", "--net", "tap:t1"], /Cannot attach more than one --net with --hosted/],
  ];
  for (const [argv, message] of cases) {
    const error = t.throws(() => parseRunArgs(argv), { instanceOf: UsageError }, argv.join(" "));
    t.regex(error?.message ?? "", message);
  }
});

for (const machine of ["q35", "microvm"] as const) {
  test(`${machine}: a tap is -netdev tap with no scripts under modern virtio-net-pci`, (t) => {
    const args = qemuArgs({ profile: loadQemuProfile(machine), accel: "tcg", memory: "64M", kernel: "k.elf", append: "", devices: [parseDeviceFlag("--net", "tap:sk-tap0")] });
    const netdev = args[args.indexOf("-netdev") + 1];
    t.is(netdev, "tap,id=net0,ifname=sk-tap0,script=no,downscript=no");
    t.true(args.includes("virtio-net-pci,netdev=net0,disable-legacy=on"));
  });
}

test("cloud-hypervisor takes a tap as --net tap=IFNAME", (t) => {
  t.deepEqual(cloudHypervisorDeviceArgs([{ kind: "net", backend: "tap", ifname: "sk-tap0" }]).args, ["--net", "tap=sk-tap0"]);
});

test("launch with netns refuses a missing namespace or a bad name before spawning (the wrapping is checked by netns_tap.test.ts)", (t) => {
  t.throws(() => launch({ vmm: "qemu", machine: "q35", accel: "tcg", memory: "64M", cmdline: "", timeoutMs: 1000, kernel: "/dev/null", netns: "skiff-no-such-namespace" }), {
    instanceOf: LaunchError,
    message: /\/run\/netns\/skiff-no-such-namespace does not exist/,
  });
  t.throws(() => launch({ vmm: "qemu", machine: "q35", accel: "tcg", memory: "64M", cmdline: "", timeoutMs: 1000, kernel: "/dev/null", netns: "../x" }), { instanceOf: LaunchError, message: /not a namespace name/ });
});
