/**
 * The HAL conformance checks (kernel-ts/hal/conformance.ts, conformance_devices.ts) pass on
 * the native HAL, in the VM: without devices on both machines, and on q35 with one of each
 * virtio device the shim drives.
 */
import test from "ava";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DgramWire } from "../helpers/dgram_wire.ts";
import { bootSkiff, machines } from "../helpers/vm.ts";

for (const machine of machines) {
  test(`${machine}: selftest=hal passes every check`, async (t) => {
    const vm = await bootSkiff(t, { machine, cmdline: "selftest=hal" });
    const summary = vm.text.find((line) => /^hal-conformance: \d+ passed, \d+ failed$/.test(line));
    t.truthy(summary, vm.output);
    t.regex(summary ?? "", / 0 failed$/, vm.text.filter((line) => line.includes("FAIL")).join("\n"));
    t.true(vm.text.filter((line) => line.startsWith("hal-conformance: ok ")).length > 0);
    t.is(vm.code, 0);
  });
}

test("q35 with virtio net, disk (rw and ro), rng and console: selftest=hal passes every device check", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-conformance-"));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const disk = path.join(dir, "disk.img");
  const readOnly = path.join(dir, "ro.img");
  fs.writeFileSync(disk, Buffer.alloc(4 << 20, 0x5a));
  fs.writeFileSync(readOnly, Buffer.alloc(1 << 20, 0x6b));
  const wire = await DgramWire.open();
  t.teardown(() => wire.close());
  const vm = await bootSkiff(t, {
    machine: "q35",
    cmdline: "selftest=hal",
    devices: [
      wire.device,
      { kind: "disk", file: disk, readOnly: false },
      { kind: "disk", file: readOnly, readOnly: true },
      { kind: "rng" },
      { kind: "channel", socket: path.join(dir, "channel.sock"), transport: "virtio-console" },
    ],
  });
  const passed = vm.text.filter((line) => line.startsWith("hal-conformance: ok ")).map((line) => line.slice(20));
  for (const check of ["block-writes-flush-and-read-back-the-last-8-sectors", "block-read-only-disks-refuse-writes", "rng-devices-give-bytes-or-Again", "net-info-has-its-shape"]) {
    t.true(passed.includes(check), `${check} did not pass:\n${vm.output}`);
  }
  t.regex(vm.text.find((line) => /^hal-conformance: \d+ passed/.test(line)) ?? "", / 0 failed$/, vm.output);
  t.is(vm.code, 0);
  // The block check restores what it overwrote: the disk reads as before.
  t.true(fs.readFileSync(disk).every((byte) => byte === 0x5a), "the conformance check left the disk changed");
  t.true(fs.readFileSync(readOnly).every((byte) => byte === 0x6b), "the read-only disk changed");
});
