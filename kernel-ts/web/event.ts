/**
 * event: the DOM Standard's Event, without a DOM: there is no tree, so an event has one
 * target, no capturing or bubbling path, and `composedPath()` is `[target]` while it is
 * being dispatched. It is enough for AbortSignal and for apps' own EventTargets.
 *
 * `timeStamp` is `performance.now()` when a global `performance` exists, else 0.
 * EventTarget (event_target.ts) drives the dispatch flags through `eventInternals`.
 */

import { markPlatformClass } from "./platform_object.ts";

export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

/** What EventTarget needs to change on an event while dispatching it. */
export interface EventInternals {
  setDispatch(event: Event, target: object | null, current: object | null, phase: number): void;
  isDispatching(event: Event): boolean;
  stopImmediate(event: Event): boolean;
  stopped(event: Event): boolean;
  setInPassiveListener(event: Event, passive: boolean): void;
  clearStops(event: Event): void;
}

export let eventInternals: EventInternals;

function nowForTimeStamp(): number {
  const performance = (globalThis as { performance?: { now?: () => number } }).performance;
  return typeof performance?.now === "function" ? performance.now() : 0;
}

export class Event {
  static readonly NONE = 0;
  static readonly CAPTURING_PHASE = 1;
  static readonly AT_TARGET = 2;
  static readonly BUBBLING_PHASE = 3;

  #type: string;
  #bubbles: boolean;
  #cancelable: boolean;
  readonly #composed: boolean;
  readonly #timeStamp: number;
  #target: object | null = null;
  #currentTarget: object | null = null;
  #phase = 0;
  #dispatching = false;
  #canceled = false;
  #inPassiveListener = false;
  #stopPropagation = false;
  #stopImmediate = false;

  constructor(type: string, init?: EventInit) {
    if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
    this.#type = String(type);
    this.#bubbles = Boolean(init?.bubbles);
    this.#cancelable = Boolean(init?.cancelable);
    this.#composed = Boolean(init?.composed);
    this.#timeStamp = nowForTimeStamp();
  }

  get type(): string { return this.#type; }
  get target(): object | null { return this.#target; }
  get srcElement(): object | null { return this.#target; }
  get currentTarget(): object | null { return this.#currentTarget; }
  get eventPhase(): number { return this.#phase; }
  get bubbles(): boolean { return this.#bubbles; }
  get cancelable(): boolean { return this.#cancelable; }
  get composed(): boolean { return this.#composed; }
  get defaultPrevented(): boolean { return this.#canceled; }
  get returnValue(): boolean { return !this.#canceled; }
  set returnValue(value: boolean) { if (!value) this.preventDefault(); }
  get cancelBubble(): boolean { return this.#stopPropagation; }
  set cancelBubble(value: boolean) { if (value) this.#stopPropagation = true; }
  /** Always false: no event here comes from a user agent's own input. */
  get isTrusted(): boolean { return false; }
  get timeStamp(): number { return this.#timeStamp; }

  composedPath(): object[] {
    return this.#dispatching && this.#currentTarget !== null ? [this.#currentTarget] : [];
  }

  preventDefault(): void {
    if (this.#cancelable && !this.#inPassiveListener) this.#canceled = true;
  }

  stopPropagation(): void {
    this.#stopPropagation = true;
  }

  /** The legacy initializer: ignored while the event is being dispatched. */
  initEvent(type: string, bubbles = false, cancelable = false): void {
    if (this.#dispatching) return;
    this.#type = String(type);
    this.#bubbles = Boolean(bubbles);
    this.#cancelable = Boolean(cancelable);
    this.#canceled = false;
    this.#stopPropagation = false;
    this.#stopImmediate = false;
    this.#target = null;
  }

  stopImmediatePropagation(): void {
    this.#stopPropagation = true;
    this.#stopImmediate = true;
  }

  static {
    eventInternals = {
      setDispatch(event, target, current, phase) {
        event.#target = target;
        event.#currentTarget = current;
        event.#phase = phase;
        event.#dispatching = current !== null;
      },
      isDispatching: (event) => event.#dispatching,
      stopImmediate: (event) => event.#stopImmediate,
      stopped: (event) => event.#stopPropagation,
      setInPassiveListener(event, passive) { event.#inPassiveListener = passive; },
      clearStops(event) { event.#stopPropagation = false; event.#stopImmediate = false; },
    };
    Object.defineProperty(Event.prototype, Symbol.toStringTag, { value: "Event", configurable: true });
    for (const [name, value] of [["NONE", 0], ["CAPTURING_PHASE", 1], ["AT_TARGET", 2], ["BUBBLING_PHASE", 3]] as const) {
      Object.defineProperty(Event.prototype, name, { value, enumerable: true, writable: false, configurable: false });
    }
    markPlatformClass(Event, "not-serializable");
  }
}
