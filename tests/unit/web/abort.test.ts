// DOMException, Event/EventTarget and AbortController/AbortSignal, side by side with
// Node's own where they are observable, and on the behaviours AbortSignal needs.
import test from "ava";
import { AbortController, AbortSignal, DOMException, Event, EventTarget } from "../../../kernel-ts/web/mod.ts";
import { setAbortTimers } from "../../../kernel-ts/web/abort_signal.ts";

test("DOMException: name, message and legacy code like Node's", (t) => {
  for (const name of ["AbortError", "TimeoutError", "DataCloneError", "InvalidCharacterError", "QuotaExceededError", "NotAName", undefined]) {
    const mine = new DOMException("msg", name);
    const node = new globalThis.DOMException("msg", name);
    t.deepEqual([mine.name, mine.message, mine.code], [node.name, node.message, node.code]);
    t.true(mine instanceof Error);
  }
  t.is(new DOMException().name, "Error");
  t.is(new DOMException().message, "");
  t.is((DOMException as unknown as Record<string, number>)["ABORT_ERR"], 20);
  t.is(new DOMException("m", { name: "SyntaxError", cause: 1 }).cause, 1);
  t.is(Object.prototype.toString.call(new DOMException()), "[object DOMException]");
});

test("EventTarget: order, once, capture identity, handleEvent objects, removal during dispatch", (t) => {
  const target = new EventTarget();
  const calls: string[] = [];
  const a = () => calls.push("a");
  const b = () => { calls.push("b"); target.removeEventListener("x", c); };
  const c = () => calls.push("c");
  target.addEventListener("x", a);
  target.addEventListener("x", a);
  target.addEventListener("x", a, { capture: true });
  target.addEventListener("x", b, { once: true });
  target.addEventListener("x", c);
  target.addEventListener("x", { handleEvent: (event: Event) => calls.push(`object:${event.type}`) });
  t.true(target.dispatchEvent(new Event("x")));
  t.deepEqual(calls, ["a", "a", "b", "object:x"]);
  calls.length = 0;
  target.dispatchEvent(new Event("x"));
  t.deepEqual(calls, ["a", "a", "object:x"]);
});

test("Event: preventDefault needs cancelable and is ignored when passive; stopImmediatePropagation", (t) => {
  const target = new EventTarget();
  let second = false;
  target.addEventListener("x", (event) => { event.preventDefault(); event.stopImmediatePropagation(); });
  target.addEventListener("x", () => { second = true; });
  t.false(target.dispatchEvent(new Event("x", { cancelable: true })));
  t.true(target.dispatchEvent(new Event("x")));
  t.false(second);
  const passive = new EventTarget();
  passive.addEventListener("y", (event) => event.preventDefault(), { passive: true });
  t.true(passive.dispatchEvent(new Event("y", { cancelable: true })));
  const event = new Event("z");
  t.is(event.eventPhase, Event.NONE);
  t.is(event.target, null);
});

test("AbortController: abort once, reason, aborted, throwIfAborted, onabort then listeners in order", (t) => {
  for (const Controller of [AbortController, globalThis.AbortController] as Array<typeof AbortController>) {
    const controller = new Controller();
    const order: string[] = [];
    controller.signal.addEventListener("abort", (event) => order.push(`listener:${event.type}`));
    controller.signal.onabort = () => order.push("onabort");
    t.false(controller.signal.aborted);
    t.notThrows(() => controller.signal.throwIfAborted());
    controller.abort("why");
    controller.abort("again");
    t.true(controller.signal.aborted);
    t.is(controller.signal.reason, "why");
    t.deepEqual(order, ["listener:abort", "onabort"]);
    let thrown: unknown;
    try { controller.signal.throwIfAborted(); } catch (error) { thrown = error; }
    t.is(thrown, "why");
  }
  const controller = new AbortController();
  controller.abort();
  t.is((controller.signal.reason as DOMException).name, "AbortError");
  t.throws(() => new (AbortSignal as unknown as new () => AbortSignal)(), { instanceOf: TypeError });
});

test("AbortSignal.abort, any and the listener option signal", (t) => {
  t.is(AbortSignal.abort().reason instanceof DOMException, true);
  t.is(AbortSignal.abort(5).reason, 5);
  const a = new AbortController();
  const b = new AbortController();
  const any = AbortSignal.any([a.signal, b.signal]);
  t.false(any.aborted);
  b.abort("b");
  t.true(any.aborted);
  t.is(any.reason, "b");
  a.abort("a");
  t.is(any.reason, "b");
  t.is(AbortSignal.any([AbortSignal.abort("early")]).reason, "early");

  const target = new EventTarget();
  const remover = new AbortController();
  let calls = 0;
  target.addEventListener("x", () => calls++, { signal: remover.signal });
  target.dispatchEvent(new Event("x"));
  remover.abort();
  target.dispatchEvent(new Event("x"));
  t.is(calls, 1);
});

test("AbortSignal.timeout aborts with a TimeoutError through the injected timers", (t) => {
  const pending: Array<() => void> = [];
  setAbortTimers({ setTimeout: (callback) => pending.push(callback), clearTimeout: () => {} });
  const signal = AbortSignal.timeout(10);
  t.false(signal.aborted);
  t.is(pending.length, 1);
  pending[0]!();
  t.true(signal.aborted);
  t.is((signal.reason as DOMException).name, "TimeoutError");
  t.throws(() => AbortSignal.timeout(-1), { instanceOf: TypeError });
});
