/**
 * abort_signal: AbortSignal from the DOM Standard: an EventTarget that fires "abort" once,
 * with a reason, plus the static makers abort(), timeout(ms) and any(signals).
 *
 * Kernel code (Request, streams, timers) reacts to an abort through
 * `addAbortAlgorithm(signal, algorithm)`, which runs before the "abort" event as the spec's
 * abort algorithms do. `signalAbort` is the one way to abort; AbortController calls it.
 *
 * timeout(ms) arms a timer from the timer functions given to `setAbortTimers`
 * (installWebGlobals passes the kernel scheduler's); until then it uses the global
 * setTimeout. Signals made by any() follow their sources with listeners on them; they are
 * not collected before their sources are (the spec's weak dependent-signal bookkeeping is
 * not modelled).
 */

import { domException } from "./dom_exception.ts";
import { Event } from "./event.ts";
import { EventTarget, getEventHandler, setEventHandler, type EventListenerFunction } from "./event_target.ts";
import { markPlatformClass } from "./platform_object.ts";

export interface AbortTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(id: unknown): void;
}

let timers: AbortTimers | undefined;

/** The timers AbortSignal.timeout uses from now on. */
export function setAbortTimers(value: AbortTimers): void {
  timers = value;
}

function currentTimers(): AbortTimers {
  if (timers !== undefined) return timers;
  const global = globalThis as { setTimeout?: AbortTimers["setTimeout"]; clearTimeout?: AbortTimers["clearTimeout"] };
  if (typeof global.setTimeout !== "function" || typeof global.clearTimeout !== "function") {
    throw new TypeError("AbortSignal.timeout needs timers: none were given to setAbortTimers and there is no global setTimeout");
  }
  return { setTimeout: global.setTimeout, clearTimeout: global.clearTimeout };
}

const CONSTRUCT = Symbol("AbortSignal.construct");

export let signalAbort: (signal: AbortSignal, reason?: unknown) => void;
export let addAbortAlgorithm: (signal: AbortSignal, algorithm: () => void) => () => void;

export class AbortSignal extends EventTarget {
  #aborted = false;
  #reason: unknown = undefined;
  readonly #algorithms = new Set<() => void>();

  constructor(token?: unknown) {
    if (token !== CONSTRUCT) throw new TypeError("Illegal constructor");
    super();
  }

  get aborted(): boolean { return this.#aborted; }
  get reason(): unknown { return this.#reason; }
  get onabort(): EventListenerFunction | null { return getEventHandler(this, "abort"); }
  set onabort(value: EventListenerFunction | null) { setEventHandler(this, "abort", value); }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  /** A signal already aborted with `reason` (default: an "AbortError" DOMException). */
  static abort(reason?: unknown): AbortSignal {
    const signal = createAbortSignal();
    signal.#aborted = true;
    signal.#reason = reason === undefined ? domException("AbortError", "This operation was aborted") : reason;
    return signal;
  }

  /** A signal that aborts with a "TimeoutError" DOMException after `ms` milliseconds. */
  static timeout(ms: number): AbortSignal {
    const delay = Number(ms);
    if (!Number.isFinite(delay) || delay < 0 || delay > Number.MAX_SAFE_INTEGER) {
      throw new TypeError(`Failed to execute 'timeout' on 'AbortSignal': Value ${String(ms)} is outside the range of an unsigned long long.`);
    }
    const signal = createAbortSignal();
    const source = currentTimers();
    source.setTimeout(() => signalAbort(signal, domException("TimeoutError", "The operation was aborted due to timeout")), Math.trunc(delay));
    return signal;
  }

  /** A signal that aborts as soon as any of `signals` does, with its reason. */
  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const sources = [...signals];
    for (const source of sources) {
      if (!(source instanceof AbortSignal)) throw new TypeError("Failed to execute 'any' on 'AbortSignal': Failed to convert value to 'AbortSignal'.");
    }
    const result = createAbortSignal();
    const already = sources.find((source) => source.#aborted);
    if (already !== undefined) {
      result.#aborted = true;
      result.#reason = already.#reason;
      return result;
    }
    for (const source of sources) {
      source.#algorithms.add(() => signalAbort(result, source.#reason));
    }
    return result;
  }

  static {
    signalAbort = (signal, reason) => {
      if (signal.#aborted) return;
      signal.#aborted = true;
      signal.#reason = reason === undefined ? domException("AbortError", "This operation was aborted") : reason;
      const algorithms = [...signal.#algorithms];
      signal.#algorithms.clear();
      for (const algorithm of algorithms) algorithm();
      signal.dispatchEvent(new Event("abort"));
    };
    addAbortAlgorithm = (signal, algorithm) => {
      signal.#algorithms.add(algorithm);
      return () => signal.#algorithms.delete(algorithm);
    };
    Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: "AbortSignal", configurable: true });
    markPlatformClass(AbortSignal, "not-serializable");
  }
}

/** A fresh, not yet aborted signal (AbortSignal's constructor is not for apps). */
export function createAbortSignal(): AbortSignal {
  return new AbortSignal(CONSTRUCT);
}
