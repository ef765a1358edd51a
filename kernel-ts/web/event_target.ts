/**
 * event_target: the DOM Standard's EventTarget without a tree: dispatch reaches the
 * target's own listeners only (phase AT_TARGET), in the order they were added.
 *
 * Listener options: capture (part of a listener's identity, as in the DOM), once, passive
 * (preventDefault is ignored inside), signal (an aborted signal removes the listener).
 * An exception thrown by a listener does not stop the dispatch and does not reach
 * dispatchEvent's caller: it is reported as an unhandled promise rejection, which is how
 * this runtime reports an error nobody can catch (the kernel prints it).
 *
 * Event handler attributes (`onabort` and kin) are kept by `getEventHandler` and
 * `setEventHandler`: setting one adds a listener at the end of the list; setting null
 * removes it, as the HTML Standard's event handler processing does.
 */

import { domException } from "./dom_exception.ts";
import { Event, eventInternals } from "./event.ts";
import { markPlatformClass } from "./platform_object.ts";

export type EventListenerFunction = (event: Event) => void;
export interface EventListenerObject {
  handleEvent(event: Event): void;
}
export type EventListenerOrEventListenerObject = EventListenerFunction | EventListenerObject;

export interface EventListenerOptions {
  capture?: boolean;
}

/** The signal a listener may be tied to: only what EventTarget needs of AbortSignal. */
interface ListenerSignal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
}

export interface AddEventListenerOptions extends EventListenerOptions {
  once?: boolean;
  passive?: boolean;
  signal?: ListenerSignal;
}

interface Listener {
  readonly callback: EventListenerOrEventListenerObject;
  readonly capture: boolean;
  readonly once: boolean;
  readonly passive: boolean;
  removed: boolean;
}

interface HandlerSlot {
  value: EventListenerFunction | null;
  listener: Listener | null;
}

function flattenCapture(options: boolean | EventListenerOptions | undefined): boolean {
  return typeof options === "boolean" ? options : Boolean(options?.capture);
}

function reportListenerError(error: unknown): void {
  void Promise.reject(error);
}

export let getEventHandler: (target: EventTarget, type: string) => EventListenerFunction | null;
export let setEventHandler: (target: EventTarget, type: string, value: unknown) => void;

export class EventTarget {
  readonly #listeners = new Map<string, Listener[]>();
  readonly #handlers = new Map<string, HandlerSlot>();

  addEventListener(type: string, callback: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    if (arguments.length < 2) throw new TypeError(`Failed to execute 'addEventListener' on 'EventTarget': 2 arguments required, but only ${arguments.length} present.`);
    if (callback === null || callback === undefined) return;
    if (typeof callback !== "function" && typeof callback !== "object") {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': The callback provided as parameter 2 is not an object.");
    }
    const capture = flattenCapture(options);
    const detailed = typeof options === "object" && options !== null ? options : undefined;
    const signal = detailed?.signal;
    if (signal !== undefined && signal.aborted) return;
    this.#add(String(type), { callback, capture, once: Boolean(detailed?.once), passive: Boolean(detailed?.passive), removed: false });
    if (signal !== undefined) {
      signal.addEventListener("abort", () => this.removeEventListener(type, callback, { capture }), { once: true });
    }
  }

  removeEventListener(type: string, callback: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    if (callback === null || callback === undefined) return;
    const capture = flattenCapture(options);
    const list = this.#listeners.get(String(type));
    if (list === undefined) return;
    const at = list.findIndex((listener) => listener.callback === callback && listener.capture === capture);
    if (at < 0) return;
    list[at]!.removed = true;
    list.splice(at, 1);
  }

  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
    if (eventInternals.isDispatching(event)) throw domException("InvalidStateError", "The event is already being dispatched.");
    eventInternals.setDispatch(event, this, this, Event.AT_TARGET);
    try {
      const list = this.#listeners.get(event.type);
      for (const listener of list === undefined ? [] : [...list]) {
        if (listener.removed) continue;
        if (listener.once) this.removeEventListener(event.type, listener.callback, { capture: listener.capture });
        eventInternals.setInPassiveListener(event, listener.passive);
        try {
          const callback = listener.callback;
          if (typeof callback === "function") {
            callback.call(this, event);
          } else {
            const handleEvent: unknown = callback.handleEvent;
            if (typeof handleEvent !== "function") throw new TypeError("The listener object has no handleEvent method.");
            handleEvent.call(callback, event);
          }
        } catch (error) {
          reportListenerError(error);
        } finally {
          eventInternals.setInPassiveListener(event, false);
        }
        if (eventInternals.stopImmediate(event)) break;
      }
    } finally {
      eventInternals.setDispatch(event, this, null, Event.NONE);
      eventInternals.clearStops(event);
    }
    return !event.defaultPrevented;
  }

  #add(type: string, listener: Listener): void {
    let list = this.#listeners.get(type);
    if (list === undefined) {
      list = [];
      this.#listeners.set(type, list);
    }
    if (list.some((existing) => existing.callback === listener.callback && existing.capture === listener.capture)) return;
    list.push(listener);
  }

  static {
    getEventHandler = (target, type) => target.#handlers.get(type)?.value ?? null;
    setEventHandler = (target, type, value) => {
      let slot = target.#handlers.get(type);
      if (slot === undefined) {
        slot = { value: null, listener: null };
        target.#handlers.set(type, slot);
      }
      if (typeof value !== "function" && (typeof value !== "object" || value === null)) {
        slot.value = null;
        if (slot.listener !== null) {
          const list = target.#listeners.get(type) ?? [];
          const at = list.indexOf(slot.listener);
          if (at >= 0) list.splice(at, 1);
          slot.listener.removed = true;
          slot.listener = null;
        }
        return;
      }
      slot.value = typeof value === "function" ? (value as EventListenerFunction) : null;
      if (slot.listener === null) {
        const owner = slot;
        const invoke: EventListenerFunction = function (this: unknown, event) {
          const handler = owner.value;
          if (handler === null) return;
          const result: unknown = handler.call(this, event);
          if (result === false) event.preventDefault();
        };
        slot.listener = { callback: invoke, capture: false, once: false, passive: false, removed: false };
        target.#add(type, slot.listener);
      }
    };
    Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, { value: "EventTarget", configurable: true });
    markPlatformClass(EventTarget, "not-serializable");
  }
}
