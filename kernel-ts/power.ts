/**
 * power: the kernel's one way to call platform.poweroff.
 *
 * Hosted and fake platforms cannot stop their host process, so their poweroff throws
 * (platform.ts). That exception travels up through the kernel's own frames, and start()
 * must not mistake it for a kernel panic: powerOff() wraps it in PoweringOff, which start()
 * unwraps and rethrows unchanged. Invariant: nothing in the kernel catches PoweringOff
 * except start().
 */

import type { Platform } from "./hal/platform.ts";

export class PoweringOff extends Error {
  override readonly name = "PoweringOff";
  constructor(readonly code: number, readonly platformError: unknown) {
    super(`Powering off with status ${code}`);
  }
}

export function powerOff(platform: Platform, code: number): never {
  try {
    platform.poweroff(code);
  } catch (error) {
    throw new PoweringOff(code, error);
  }
  // platform.poweroff MUST NOT return; one that does is a broken platform.
  throw new Error(`platform.poweroff(${code}) returned`);
}
