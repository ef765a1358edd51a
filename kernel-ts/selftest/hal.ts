/**
 * hal: `selftest=hal`. Runs the HAL conformance checks against the platform the kernel
 * runs on and prints one line a check, then a summary:
 *
 *   hal-conformance: ok NAME
 *   hal-conformance: FAIL NAME: reason
 *   hal-conformance: N passed, M failed
 *
 * Returns the exit status: 0 when every check passed, else 1.
 */

import type { KernelConsole } from "../console/mod.ts";
import { halChecks } from "../hal/conformance.ts";
import type { Platform } from "../hal/platform.ts";
import { describe } from "../report.ts";

export async function runHalSelftest(platform: Platform, console: KernelConsole): Promise<number> {
  let passed = 0;
  let failed = 0;
  for (const check of halChecks) {
    try {
      await check.run(platform);
      passed++;
      console.log(`hal-conformance: ok ${check.name}`);
    } catch (error) {
      failed++;
      const reason = error instanceof Error ? error.message : describe(error);
      console.log(`hal-conformance: FAIL ${check.name}: ${reason}`);
    }
  }
  console.log(`hal-conformance: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
