/**
 * panic: the last thing the kernel does when its own code fails. Prints
 *
 *   skiff: KERNEL PANIC: <message>
 *       at <the JS stack, one frame a line>
 *
 * with raw platform.consoleWrite (not the console object, which may be what failed), then
 * powers off with ExitCode.KernelPanic. Invariant: the panic path cannot throw on its own
 * account: every step is guarded, and if encoding fails the text goes out as ASCII.
 */

import { encodeUtf8 } from "./console/mod.ts";
import { ExitCode, type Platform } from "./hal/platform.ts";
import { powerOff } from "./power.ts";
import { describe, stackFrames } from "./report.ts";

export function panic(platform: Platform, error: unknown): never {
  let message: string;
  try {
    message = error instanceof Error ? error.message : describe(error);
  } catch {
    message = "(the panic's error could not be read)";
  }
  const frames = stackFrames(error);
  const text = `skiff: KERNEL PANIC: ${message}\n${frames === "" ? "" : `${frames}\n`}`;
  try {
    platform.consoleWrite(toBytes(text));
  } catch {
    // The console is gone; the exit status still tells the host.
  }
  return powerOff(platform, ExitCode.KernelPanic);
}

function toBytes(text: string): Uint8Array {
  try {
    return encodeUtf8(text);
  } catch {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      bytes[i] = code < 0x80 ? code : 0x3f; // "?"
    }
    return bytes;
  }
}
