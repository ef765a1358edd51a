/**
 * The launcher's contract with the VMMs: qemu's exit status and the console map back to the
 * guest's code, the qemu command line comes from hypervisor-configs/, cloud-hypervisor's is
 * the documented one and refuses clearly when its binary or KVM is missing, and the hosted
 * kernel prints what the VM prints.
 */
import test from "ava";
import { cloudHypervisorArgs, cloudHypervisorUnavailable, loadCloudHypervisorProfile } from "../../host/launch/cloud_hypervisor.ts";
import { guestResultFromConsole, guestResultFromQemuStatus } from "../../host/launch/exit_status.ts";
import { launch, LaunchError } from "../../host/launch/launch.ts";
import { loadQemuProfile } from "../../host/launch/qemu_profile.ts";
import { qemuArgs } from "../../host/launch/qemu.ts";
import { runHostedApp } from "../helpers/hosted.ts";
import { bootSkiff } from "../helpers/vm.ts";

test("qemu status 2*code+3 maps back to code; 0, 1 and even statuses are qemu's own", (t) => {
  t.deepEqual(guestResultFromQemuStatus(3), { ok: true, code: 0 });
  t.deepEqual(guestResultFromQemuStatus(17), { ok: true, code: 7 });
  t.deepEqual(guestResultFromQemuStatus(205), { ok: true, code: 101 });
  for (const status of [0, 1, 2, 4]) t.false(guestResultFromQemuStatus(status).ok, `status ${status}`);
  t.deepEqual(guestResultFromQemuStatus(1), { ok: false, reason: "qemu failed (status 1)" });
});

test("the console gives the code where the VMM cannot (cloud-hypervisor)", (t) => {
  t.deepEqual(guestResultFromConsole("Hello from Skiff!\r\nskiff: app hello exited with status 0\r\n"), { ok: true, code: 0 });
  t.deepEqual(guestResultFromConsole("skiff: app test-exit exited with status 7\n"), { ok: true, code: 7 });
  t.deepEqual(guestResultFromConsole("skiff: KERNEL PANIC: boom\n    at f (kernel.js:1:1)\n"), { ok: true, code: 100 });
  t.deepEqual(guestResultFromConsole("skiff: CPU EXCEPTION 6 (#UD) error=0x0 rip=0x1 cr2=0x0\n"), { ok: true, code: 101 });
  t.deepEqual(guestResultFromConsole("skiff: app x failed: Error: no\n"), { ok: true, code: 1 });
  t.false(guestResultFromConsole("Hello from Skiff!\n").ok);
});

test("qemu's command line comes from the profile, TCG with -cpu max", (t) => {
  const args = qemuArgs({ profile: loadQemuProfile("microvm"), accel: "tcg", memory: "16M", kernel: "k.elf", append: "app=hello debug_exit=0xf4" });
  t.deepEqual(args.slice(0, 6), ["-M", "microvm,pit=on,rtc=on,isa-serial=on,pic=off,auto-kernel-cmdline=off", "-accel", "tcg", "-cpu", "max"]);
  for (const flag of ["-nodefaults", "-no-user-config", "-no-reboot"]) t.true(args.includes(flag), flag);
  t.is(args[args.indexOf("-m") + 1], "16M");
  t.is(args[args.indexOf("-device") + 1], "isa-debug-exit,iobase=0xf4,iosize=0x04");
  t.is(args[args.indexOf("-append") + 1], "app=hello debug_exit=0xf4");
});

test("cloud-hypervisor's command line is the documented one", (t) => {
  const args = cloudHypervisorArgs({ profile: loadCloudHypervisorProfile(), kernel: "build/skiff.elf", cmdline: "app=hello", memory: "64M" });
  t.deepEqual(args, ["--kernel", "build/skiff.elf", "--cmdline", "app=hello", "--memory", "size=64M", "--cpus", "boot=1", "--serial", "tty", "--console", "off"]);
});

test("cloud-hypervisor without its binary or KVM is a clear error", (t) => {
  const profile = loadCloudHypervisorProfile();
  const message = cloudHypervisorUnavailable(profile, "/nonexistent-bin", "/nonexistent/kvm") ?? "";
  t.regex(message, /^Cannot run cloud-hypervisor: /);
  t.regex(message, /the cloud-hypervisor binary is not on PATH/);
  t.regex(message, /KVM is not usable: Cannot open \/nonexistent\/kvm read-write: ENOENT/);
});

test("skiff's launcher refuses cloud-hypervisor on this machine before spawning anything", (t) => {
  // Holds wherever cloud-hypervisor is not installed (true on every development machine and CI).
  const error = t.throws(() => launch({ vmm: "cloud-hypervisor", machine: "q35", accel: "auto", memory: "64M", cmdline: "app=hello", timeoutMs: 1000 }), { instanceOf: LaunchError });
  t.regex(error?.message ?? "", /cloud-hypervisor binary is not on PATH|does not exist/);
});

test("the hosted kernel prints the same hello lines and status as the VM", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35" });
  const hosted = await runHostedApp("hello");
  // The timeline's stage names differ by platform; every other line must match.
  const withoutTimeline = (lines: readonly string[]): string[] => lines.filter((line) => line !== "" && !line.startsWith("skiff: boot timeline "));
  t.deepEqual(withoutTimeline(hosted.text), withoutTimeline(vm.text));
  t.is(hosted.status, vm.code ?? -1);
});
