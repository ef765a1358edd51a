/**
 * console: the kernel's `console` object. Every call formats its arguments into one line
 * (see format.ts), encodes it as UTF-8 and hands it to the sink in a single write, so lines
 * from different callers never interleave within a line.
 *
 * The machine has one console stream, so log/info/debug and warn/error all go to the same
 * sink, in call order. Invariant: a method only throws when the sink throws.
 */

import { format } from "./format.ts";
import { inspect } from "./inspect.ts";
import { encodeUtf8 } from "./utf8.ts";

/** Where console bytes go: `platform.consoleWrite` in the kernel, a capture in tests. */
export type ConsoleSink = (bytes: Uint8Array) => void;

export interface KernelConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  /** Prints "Trace: <formatted args>" and the stack of the call site. */
  trace(...args: unknown[]): void;
  /** Prints "Assertion failed[: <formatted args>]" when `condition` is falsy; never throws. */
  assert(condition?: unknown, ...args: unknown[]): void;
  /** Prints one value through inspect (strings quoted). */
  dir(value?: unknown): void;
}

/** Makes a console writing to `sink`. */
export function createConsole(sink: ConsoleSink): KernelConsole {
  const line = (text: string) => sink(encodeUtf8(`${text}\n`));
  const print = (...args: unknown[]) => line(format(args));
  return {
    log: print,
    info: print,
    debug: print,
    warn: print,
    error: print,
    trace(...args: unknown[]) {
      const stack = new Error("trace").stack ?? "";
      // Drop V8's "Error: trace" header and the frame of trace() itself when present.
      const frames = stack.split("\n").filter((frame) => /^\s+at /.test(frame)).slice(1);
      const message = args.length === 0 ? "" : format(args);
      line([`Trace${message === "" ? "" : `: ${message}`}`, ...frames].join("\n"));
    },
    assert(condition?: unknown, ...args: unknown[]) {
      if (condition) return;
      line(args.length === 0 ? "Assertion failed" : `Assertion failed: ${format(args)}`);
    },
    dir(value?: unknown) {
      line(typeof value === "string" ? `'${value}'` : inspect(value));
    },
  };
}
