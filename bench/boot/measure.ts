/**
 * One timed boot of a guest through the shared launcher: milliseconds from spawning qemu to
 * the guest's hello line arriving on the serial console, and to qemu's exit; the guest's
 * exit code and its console lines. Also the search for the smallest -m that still runs hello.
 */
import { launch } from "../../host/launch/launch.ts";
import type { QemuMachine } from "../../host/launch/qemu_profile.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import type { Guest } from "./guests.ts";

export interface BootSample {
  readonly ok: boolean;
  /** Spawn → hello line; undefined when it never came. */
  readonly helloMs: number | undefined;
  /** Spawn → qemu exited. */
  readonly exitMs: number;
  readonly code: number | undefined;
  readonly failure?: string;
  readonly lines: readonly string[];
}

export async function bootOnce(guest: Guest, machine: QemuMachine, accel: Accel, memory: string): Promise<BootSample> {
  const vm = launch({
    vmm: "qemu",
    machine,
    accel,
    memory,
    kernel: guest.kernel,
    ...(guest.initrd !== undefined ? { initrd: guest.initrd } : {}),
    cmdline: guest.cmdline,
    bareCmdline: guest.bareCmdline,
    timeoutMs: guest.timeoutMs,
  });
  try {
    const result = await vm.result;
    const hello = result.lines.find((line) => line.text === guest.helloLine);
    const code = result.guest.ok ? result.guest.code : undefined;
    const ok = hello !== undefined && code === 0;
    const failure = ok ? undefined : result.guest.ok ? `exit code ${result.guest.code}${hello === undefined ? ", no hello line" : ""}` : result.guest.reason;
    return {
      ok,
      helloMs: hello?.atMs,
      exitMs: result.exitMs,
      code,
      ...(failure !== undefined ? { failure } : {}),
      lines: result.lines.map((line) => line.text),
    };
  } finally {
    vm.process.kill();
  }
}

/**
 * Walks down `sizes` (largest first) and returns the last size at which hello still ran,
 * with the first size that failed and why. Stops at the first failure.
 */
export async function smallestMemory(guest: Guest, machine: QemuMachine, accel: Accel, sizes: readonly string[]): Promise<{ smallest?: string; firstFailure?: { size: string; reason: string } }> {
  let smallest: string | undefined;
  for (const size of sizes) {
    const sample = await bootOnce(guest, machine, accel, size);
    if (!sample.ok) return { ...(smallest !== undefined ? { smallest } : {}), firstFailure: { size, reason: sample.failure ?? "failed" } };
    smallest = size;
  }
  return smallest !== undefined ? { smallest } : {};
}
