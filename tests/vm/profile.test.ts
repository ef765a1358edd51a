/**
 * The guest's sampling profiler (shim/js/hal_profile.c, QuickJS patch 0006, kernel-ts/
 * profile.ts) under qemu TCG: `profile=1` samples the kernel's JS for a second and prints
 * folded stacks that name the kernel's functions with their bundle lines; bad settings are
 * refused with a line saying so and the machine runs on. And bench/profile --native's
 * sampler (gdb_sampler.ts): qemu's gdbstub stops the running guest, its instruction pointer
 * and frame-pointer chain name the shim's C functions, and the guest runs on undisturbed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import test from "ava";
import { GdbSampler, Symbolizer } from "../../bench/profile/gdb_sampler.ts";
import { paths } from "../../host/launch/paths.ts";
import { profileFromConsole, functionTimes } from "../../bench/profile/folded.ts";
import { bootSkiff, lineIndex, startSkiff } from "../helpers/vm.ts";

test("profile=1 prints folded stacks naming the kernel's functions, then the machine powers off", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", app: "test-contexts", cmdline: "env.NAME=a profile=1 profileperiod=20" });
  t.true(lineIndex(vm.text, /^skiff: profiling for 1 s, a sample every 20 µs of JS time$/) >= 0, vm.output);
  const profile = profileFromConsole(vm.text);
  t.true((profile.summary.samples ?? 0) > 0, vm.output);
  t.is(profile.summary.period_us, 20);
  t.is(profile.summary.dropped, 0);
  t.true(profile.stacks.length > 0);
  const sampled = profile.stacks.reduce((sum, stack) => sum + stack.us, 0);
  t.true(Math.abs(sampled - profile.summary.sampled_us!) <= profile.stacks.length, "the stacks add up to the sampled time");
  const kernelFrames = functionTimes(profile).filter((entry) => /^\S+ \(kernel\.js:\d+\)$/.test(entry.frame));
  t.true(kernelFrames.length > 0, vm.output);
  t.true(functionTimes(profile).some((entry) => entry.frame.startsWith("run (kernel.js:")), "the scheduler's run() is on the stacks");
  t.is(vm.code, 0);
});

test("under qemu -icount (bench/profile --icount: the clock counts instructions) the guest profiles and powers off", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", app: "test-contexts", cmdline: "env.NAME=a profile=1 profileperiod=20", icountShift: 0, timeoutMs: 300_000 });
  const profile = profileFromConsole(vm.text);
  t.true((profile.summary.samples ?? 0) > 0, vm.output);
  t.is(profile.summary.dropped, 0);
  t.true(functionTimes(profile).some((entry) => entry.frame.startsWith("run (kernel.js:")), vm.output);
  t.is(vm.code, 0);
});

test("a bad profile setting is refused with a line saying why; the app still runs", async (t) => {
  const vm = await bootSkiff(t, { machine: "q35", app: "hello", cmdline: "profile=1 profileperiod=5" });
  t.true(lineIndex(vm.text, /^skiff: profile=1 ignored: want profile=SECONDS > 0/) >= 0, vm.output);
  t.is(lineIndex(vm.text, /^skiff: profile begin$/), -1);
  t.is(vm.code, 0);
});

test("the native sampler stops the guest through qemu's gdbstub, names its C stack, and lets it run on", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-gdb-test-"));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const socket = path.join(dir, "gdb.sock");
  const vm = startSkiff(t, { machine: "q35", app: "test-idle", cmdline: "env.ms=3000", gdbSocket: socket, timeoutMs: 120_000 });
  const gdb = await GdbSampler.connect(socket, 30_000);
  t.teardown(() => gdb.close());
  await vm.waitForLine(/^idle: sleeping 3000 ms$/);
  const symbols = new Symbolizer(path.join(path.dirname(paths.image), "skiff.sym.elf"));
  const stacks: string[][] = [];
  for (let i = 0; i < 10; i++) stacks.push((await gdb.sample(64)).map((pc) => symbols.name(pc)));
  gdb.close();
  for (const stack of stacks) {
    t.true(stack.includes("shim_main"), `every stack runs down to shim_main: ${stack.join(" < ")}`);
    t.false(stack.some((name) => name.startsWith("0x")), `every address is inside a function: ${stack.join(" < ")}`);
  }
  // Asleep on its one timer: the guest halts in hal_wait, called from the engine's loop.
  t.true(stacks.some((stack) => stack[0] === "hal_wait"), stacks.map((stack) => stack.join(" < ")).join("\n"));
  const done = await vm.finished;
  t.true(lineIndex(done.text, /^idle: woke after \d+ ms$/) >= 0, done.output);
  t.is(done.code, 0);
});
