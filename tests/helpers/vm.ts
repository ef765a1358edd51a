/**
 * Boots build/skiff.elf under qemu TCG for a test, through the same launcher as `skiff run`
 * (host/launch/launch.ts), and returns the console and the guest's exit code. The VM is killed
 * when the test ends whatever happens (t.teardown), and by the launcher on timeout. A missing
 * image fails the test with the command that makes it: nothing is skipped silently.
 */
import fs from "node:fs";
import type { ExecutionContext } from "ava";
import type { VmDevice } from "../../host/launch/devices.ts";
import { launch, skiffCmdline, type Launch, type LaunchResult } from "../../host/launch/launch.ts";
import { paths } from "../../host/launch/paths.ts";
import type { QemuMachine } from "../../host/launch/qemu_profile.ts";

export const machines: readonly QemuMachine[] = ["q35", "microvm"];

export interface BootOptions {
  readonly machine: QemuMachine;
  readonly app?: string;
  /** Extra kernel command-line words. */
  readonly cmdline?: string;
  readonly memory?: string;
  readonly timeoutMs?: number;
  /** virtio devices (host/launch/devices.ts). */
  readonly devices?: readonly VmDevice[];
  /** Run qemu inside this network namespace (tests/helpers/netns.ts), e.g. for its tap. */
  readonly netns?: string;
  /** A file the guest gets as PVH module 0 (`-initrd`): an app image. */
  readonly initrd?: string;
  /** qemu's `-icount shift=N`: the guest's clock counts instructions while it runs. */
  readonly icountShift?: number;
  /** qemu's gdbstub on this Unix socket (bench/profile --native samples through it). */
  readonly gdbSocket?: string;
}

export interface Booted extends LaunchResult {
  /** The console's lines, CR stripped. */
  readonly text: readonly string[];
  /** The guest's exit code; fails the test when there is none (qemu error, timeout). */
  readonly code: number | undefined;
}

export function requireImage(): void {
  if (!fs.existsSync(paths.image)) throw new Error(`${paths.image} is missing: run \`make build\` before the vm tests`);
}

export async function bootSkiff(t: ExecutionContext, options: BootOptions): Promise<Booted> {
  return startSkiff(t, options).finished;
}

/** A VM still running: the test talks to it (over its devices) while it runs. */
export interface RunningVm {
  readonly launch: Launch;
  /** Resolves with the first console line matching `pattern`; rejects if the VM exits first or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The console so far, for failure messages. */
  output(): string;
  readonly finished: Promise<Booted>;
}

/** Boots like bootSkiff but returns at once; the VM is killed at the test's end whatever happens. */
export function startSkiff(t: ExecutionContext, options: BootOptions): RunningVm {
  requireImage();
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const vm = launch({
    vmm: "qemu",
    machine: options.machine,
    accel: "tcg",
    memory: options.memory ?? "64M",
    cmdline: skiffCmdline(options.app ?? "hello", options.cmdline ?? ""),
    devices: options.devices ?? [],
    ...(options.netns !== undefined ? { netns: options.netns } : {}),
    ...(options.initrd !== undefined ? { initrd: options.initrd } : {}),
    ...(options.icountShift !== undefined ? { icountShift: options.icountShift } : {}),
    ...(options.gdbSocket !== undefined ? { gdbSocket: options.gdbSocket } : {}),
    timeoutMs: options.timeoutMs ?? 60_000,
    onLine: (line) => {
      lines.push(line.text);
      for (const waiter of waiters) {
        if (waiter.pattern.test(line.text)) {
          waiters.delete(waiter);
          waiter.resolve(line.text);
        }
      }
    },
  });
  t.teardown(() => vm.process.kill());
  let exited = false;
  const finished = vm.result.then((result) => {
    exited = true;
    return booted(t, result);
  });
  return {
    launch: vm,
    output: () => lines.join("\n"),
    finished,
    waitForLine(pattern, timeoutMs = 60_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const fail = (why: string): void => {
          waiters.delete(waiter);
          reject(new Error(`No console line matching ${pattern} ${why}; console so far:\n${lines.join("\n")}`));
        };
        const timer = setTimeout(() => fail(`within ${timeoutMs} ms`), timeoutMs);
        const waiter = { pattern, resolve: (line: string) => { clearTimeout(timer); resolve(line); } };
        waiters.add(waiter);
        void finished.then(() => {
          if (waiters.has(waiter)) { clearTimeout(timer); fail("before the VM exited"); }
        }, () => {});
        if (exited) fail("before the VM exited");
      });
    },
  };
}

function booted(t: ExecutionContext, result: LaunchResult): Booted {
  const text = result.lines.map((line) => line.text);
  if (!result.guest.ok) {
    t.log(`qemu ${result.args.join(" ")}`);
    t.log(result.output);
    t.log(result.stderr);
  }
  return { ...result, text, code: result.guest.ok ? result.guest.code : undefined };
}

/** The index of the first line matching `pattern`, or -1. */
export function lineIndex(lines: readonly string[], pattern: RegExp): number {
  return lines.findIndex((line) => pattern.test(line));
}
