/**
 * report: how the kernel words failures on the console. One voice for all of them:
 *
 *   skiff: uncaught exception: Error: boom          (an app timer/microtask threw)
 *   skiff: unhandled rejection: Error: boom         (a promise rejected with no handler)
 *   skiff: app NAME failed: Error: boom             (loading the app or its main() failed)
 *   skiff: app NAME: WHAT: Error: boom              (a request handler failed; the app keeps serving)
 *   skiff: app NAME: fetch(GET /x) ran past its 100 ms budget   (the watchdog stopped it; no stack:
 *                                                    the stopped code's frames are gone)
 *   skiff: KERNEL PANIC: boom                       (see panic.ts)
 *
 * each followed by the JS stack, one frame a line, when the error has one. For an app, the
 * caller may pass `mapFrames` (loader/app_frames.ts) to show the frames at their TypeScript
 * positions. Invariant: these functions never throw.
 */

import { format, inspectError, type KernelConsole } from "./console/mod.ts";
import { BudgetExceeded, type Reporter } from "./sched/mod.ts";

/** The error's stack without the "Name: message" header V8 puts first ("" when none). */
export function stackFrames(error: unknown): string {
  try {
    if (typeof error !== "object" || error === null) return "";
    const stack: unknown = (error as { stack?: unknown }).stack;
    if (typeof stack !== "string") return "";
    const lines = stack.replace(/\s+$/, "").split("\n");
    const first = lines.findIndex((line) => /^\s+at /.test(line));
    return (first === -1 ? lines.filter((line) => /^\s/.test(line)) : lines.slice(first)).join("\n");
  } catch {
    return "";
  }
}

/** String(value) that cannot throw. */
export function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return format([value]);
    } catch {
      return "[value that cannot be converted to a string]";
    }
  }
}

/** The scheduler's Reporter, printing on `console`. */
export function consoleReporter(console: KernelConsole): Reporter {
  return (kind, error) => {
    try {
      console.error(`skiff: ${kind}: ${error instanceof Error ? inspectError(error) : format([error])}`);
    } catch {
      // The console itself failed; nothing better is left to report with.
    }
  };
}

/** Rewrites an app's stack frames (source positions); must not throw. */
export type FrameMapper = (frames: string) => string;

function appFrames(error: unknown, mapFrames: FrameMapper | undefined): string {
  const frames = stackFrames(error);
  if (frames === "" || mapFrames === undefined) return frames;
  try {
    return mapFrames(frames);
  } catch {
    return frames;
  }
}

/** A failure inside a running app that it survives (a fetch handler that threw). */
export function reportAppError(console: KernelConsole, name: string, what: string, error: unknown, mapFrames?: FrameMapper): void {
  try {
    if (error instanceof BudgetExceeded) {
      console.error(`skiff: app ${name}: ${error.message}`);
      return;
    }
    const frames = appFrames(error, mapFrames);
    console.error(`skiff: app ${name}: ${what}: ${describe(error)}${frames === "" ? "" : `\n${frames}`}`);
  } catch {
    // As above.
  }
}

export function reportAppFailure(console: KernelConsole, name: string, error: unknown, mapFrames?: FrameMapper): void {
  try {
    if (error instanceof BudgetExceeded) {
      console.error(`skiff: app ${name} failed: ${error.message}`);
      return;
    }
    const frames = appFrames(error, mapFrames);
    console.error(`skiff: app ${name} failed: ${describe(error)}${frames === "" ? "" : `\n${frames}`}`);
  } catch {
    // As above.
  }
}
