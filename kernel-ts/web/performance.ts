/**
 * performance: the High Resolution Time Standard's `performance.now()` and
 * `performance.timeOrigin` over a monotonic clock in milliseconds (in the kernel,
 * Platform.monotonicNs() / 1e6).
 *
 * The time origin is when the object is made: now() counts from it on the monotonic
 * clock (never backwards), and timeOrigin is the wall-clock time (Date.now()) it stands
 * for. The Performance Timeline (mark, measure, getEntries) is not provided.
 */

import { markPlatformClass } from "./platform_object.ts";

const CONSTRUCT = Symbol("Performance.construct");

export class Performance {
  readonly #nowMs: () => number;
  readonly #originMonotonicMs: number;
  readonly #timeOrigin: number;

  constructor(token?: unknown, nowMs?: () => number) {
    if (token !== CONSTRUCT || nowMs === undefined) throw new TypeError("Illegal constructor");
    this.#nowMs = nowMs;
    this.#originMonotonicMs = nowMs();
    this.#timeOrigin = Date.now();
  }

  get timeOrigin(): number {
    return this.#timeOrigin;
  }

  now(): number {
    return this.#nowMs() - this.#originMonotonicMs;
  }

  toJSON(): { timeOrigin: number } {
    return { timeOrigin: this.#timeOrigin };
  }

  static {
    Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: "Performance", configurable: true });
    markPlatformClass(Performance, "not-serializable");
  }
}

/** The `performance` object over the monotonic clock `nowMs`. */
export function createPerformance(nowMs: () => number): Performance {
  return new Performance(CONSTRUCT, nowMs);
}
