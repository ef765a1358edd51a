/**
 * conformance_helpers: what the HAL conformance checks (conformance.ts,
 * conformance_devices.ts) share: the check record, expect() and friends.
 */

import type { Platform } from "./platform.ts";

export interface HalCheck {
  readonly name: string;
  run(platform: Platform): Promise<void>;
}

export class CheckFailed extends Error {
  override readonly name = "CheckFailed";
}

export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

export function expectTypeError(call: () => void, what: string): void {
  try {
    call();
  } catch (error) {
    expect(error instanceof TypeError, `${what} threw ${error instanceof Error ? error.name : show(error)}, not a TypeError`);
    return;
  }
  throw new CheckFailed(`${what} did not throw`);
}

/** A short description of any value for a failure message; never throws (a module
 * namespace has no prototype, so String() on it would). */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return typeof value === "symbol" ? value.toString() : `${value as string}`;
  return Object.getPrototypeOf(value) === null ? "a module namespace" : "an object";
}

export function check(name: string, run: (platform: Platform) => void | Promise<void>): HalCheck {
  return { name, run: async (platform) => { await run(platform); } };
}
