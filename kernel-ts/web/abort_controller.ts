/**
 * abort_controller: AbortController from the DOM Standard: owns one AbortSignal and
 * aborts it with abort(reason).
 */

import { createAbortSignal, signalAbort, type AbortSignal } from "./abort_signal.ts";
import { markPlatformClass } from "./platform_object.ts";

export class AbortController {
  readonly #signal: AbortSignal = createAbortSignal();

  get signal(): AbortSignal {
    return this.#signal;
  }

  abort(reason?: unknown): void {
    signalAbort(this.#signal, reason);
  }

  static {
    Object.defineProperty(AbortController.prototype, Symbol.toStringTag, { value: "AbortController", configurable: true });
    markPlatformClass(AbortController, "not-serializable");
  }
}
