/**
 * kernel_throw: `selftest=kernel-throw`. Throws from inside a kernel timer callback, on
 * purpose, so that the panic path is exercised with real frames on the stack: the
 * callback's own, the scheduler's timer loop, and boot's. The host's tests expect
 * "skiff: KERNEL PANIC: selftest kernel-throw …" and status ExitCode.KernelPanic.
 */

import type { Scheduler } from "../sched/mod.ts";

export async function runKernelThrowSelftest(scheduler: Scheduler): Promise<void> {
  scheduler.kernelTimeout(function kernelThrowSelftest() {
    throw new Error("selftest kernel-throw: thrown on purpose from a kernel timer callback");
  }, 1);
  await scheduler.run();
}
