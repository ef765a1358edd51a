/**
 * Turning what a VMM leaves behind into the guest's exit code.
 *
 * qemu with isa-debug-exit: the shim writes v = code + 1, qemu exits with 2v + 1 = 2*code + 3.
 * qemu's own failures exit 1, and a plain ACPI power-off without the device exits 0, so only an
 * odd status >= 3 is a guest result. cloud-hypervisor exits 0 whatever the guest did: there the
 * code can only come from the console lines the kernel and shim print.
 */

import { ExitCode as GuestExit } from "../../kernel-ts/hal/platform.ts";

/** Exit statuses the kernel and shim use besides an app's own: the HAL's own table. */
export { GuestExit };

export type GuestResult =
  | { readonly ok: true; readonly code: number }
  | { readonly ok: false; readonly reason: string };

/** Maps qemu's exit status (with isa-debug-exit on the command line) to the guest's code. */
export function guestResultFromQemuStatus(status: number): GuestResult {
  if (status >= 3 && status % 2 === 1) return { ok: true, code: (status - 3) / 2 };
  return { ok: false, reason: `qemu failed (status ${status})` };
}

const APP_EXITED = /^skiff: app (\S+) exited with status (\d+)\s*$/;
const APP_FAILED = /^skiff: app (\S+) (failed: |not found)/;
const KERNEL_PANIC = /^skiff: KERNEL PANIC: /;
const CPU_EXCEPTION = /^skiff: CPU EXCEPTION /;

/**
 * Reads the guest's exit code from its console output. A CPU exception or a panic wins over
 * anything printed before it; an app's failure or "not found" line without a later status line
 * counts as AppFailed. No recognised line: not a result.
 */
export function guestResultFromConsole(output: string): GuestResult {
  let result: GuestResult = { ok: false, reason: "no exit line on the console" };
  for (const rawLine of output.split("\n")) {
    const line = rawLine.replace(/\r$/, "");
    if (CPU_EXCEPTION.test(line)) return { ok: true, code: GuestExit.CpuException };
    if (KERNEL_PANIC.test(line)) return { ok: true, code: GuestExit.KernelPanic };
    const exited = APP_EXITED.exec(line);
    if (exited !== null) result = { ok: true, code: Number(exited[2]) };
    else if (APP_FAILED.test(line)) result = { ok: true, code: GuestExit.AppFailed };
  }
  return result;
}
