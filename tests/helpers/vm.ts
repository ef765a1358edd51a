/**
 * Boots build/skiff.elf under qemu TCG for a test, through the same launcher as `skiff run`
 * (host/launch/launch.ts), and returns the console and the guest's exit code. The VM is killed
 * when the test ends whatever happens (t.teardown), and by the launcher on timeout. A missing
 * image fails the test with the command that makes it: nothing is skipped silently.
 */
import fs from "node:fs";
import type { ExecutionContext } from "ava";
import { launch, skiffCmdline, type LaunchResult } from "../../host/launch/launch.ts";
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
  requireImage();
  const vm = launch({
    vmm: "qemu",
    machine: options.machine,
    accel: "tcg",
    memory: options.memory ?? "64M",
    cmdline: skiffCmdline(options.app ?? "hello", options.cmdline ?? ""),
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  t.teardown(() => vm.process.kill());
  const result = await vm.result;
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
