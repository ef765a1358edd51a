// crypto.getRandomValues / randomUUID over an injected randomFill, performance over an
// injected clock, and installWebGlobals' "only where missing" rule.
import test from "ava";
import { createCrypto, createPerformance, DOMException, installWebGlobals } from "../../../kernel-ts/web/mod.ts";

/** A deterministic random source: bytes counting up from `seed`. */
function counting(seed: number): (bytes: Uint8Array) => void {
  let next = seed;
  return (bytes) => { for (let i = 0; i < bytes.length; i++) bytes[i] = next++ & 0xff; };
}

test("getRandomValues fills integer arrays in place and returns them", (t) => {
  const crypto = createCrypto(counting(1));
  const array = new Uint16Array(2);
  t.is(crypto.getRandomValues(array), array);
  t.deepEqual([...new Uint8Array(array.buffer)], [1, 2, 3, 4]);
  const view = new Uint8Array(new ArrayBuffer(8), 4, 2);
  crypto.getRandomValues(view);
  t.deepEqual([...new Uint8Array(view.buffer)], [0, 0, 0, 0, 5, 6, 0, 0]);
  for (const Kind of [Int8Array, Uint8ClampedArray, Int32Array, Uint32Array, BigInt64Array, BigUint64Array]) {
    t.notThrows(() => crypto.getRandomValues(new Kind(4)));
  }
  t.notThrows(() => crypto.getRandomValues(new Uint8Array(65536)));
});

test("getRandomValues errors follow Node's: TypeMismatchError, QuotaExceededError, TypeError", (t) => {
  const crypto = createCrypto(counting(0));
  for (const [value, name] of [[new Float32Array(1), "TypeMismatchError"], [new Float64Array(1), "TypeMismatchError"], [new DataView(new ArrayBuffer(1)), "TypeMismatchError"], [new Uint8Array(65537), "QuotaExceededError"], [new Uint32Array(16385), "QuotaExceededError"]] as const) {
    const error = t.throws(() => crypto.getRandomValues(value as never), { instanceOf: DOMException });
    t.is(error?.name, name);
    let nodeName = "none";
    try { globalThis.crypto.getRandomValues(value as never); } catch (nodeError) { nodeName = (nodeError as Error).name; }
    t.is(nodeName, name);
  }
  t.throws(() => crypto.getRandomValues(new ArrayBuffer(4) as never), { instanceOf: TypeError });
  t.throws(() => crypto.getRandomValues.call({}, new Uint8Array(1)), { instanceOf: TypeError });
});

test("randomUUID is a version 4, variant 10 UUID made from the random source", (t) => {
  const uuid = createCrypto(counting(0)).randomUUID();
  t.regex(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.is(uuid, "00010203-0405-4607-8809-0a0b0c0d0e0f");
  const real = createCrypto((bytes) => globalThis.crypto.getRandomValues(bytes));
  t.not(real.randomUUID(), real.randomUUID());
});

test("performance.now counts from creation on the injected clock; timeOrigin is wall time", (t) => {
  let clock = 1000;
  const performance = createPerformance(() => clock);
  t.is(performance.now(), 0);
  clock += 12.5;
  t.is(performance.now(), 12.5);
  t.true(Math.abs(performance.timeOrigin - Date.now()) < 1000);
  t.deepEqual(performance.toJSON(), { timeOrigin: performance.timeOrigin });
});

const deps = { randomFill: counting(7), nowMs: () => 5, setTimeout: () => 0, clearTimeout: () => {} };

test("installWebGlobals defines every global on an empty target, non-enumerable and writable", (t) => {
  const target = {};
  const installed = installWebGlobals(target, deps);
  for (const name of ["URL", "URLSearchParams", "TextEncoder", "TextDecoder", "atob", "btoa", "Headers", "Request", "Response", "FormData", "Blob", "File",
    "ReadableStream", "WritableStream", "TransformStream", "AbortController", "AbortSignal", "DOMException", "Event", "EventTarget", "structuredClone", "crypto", "performance"]) {
    t.true(installed.includes(name), name);
    const descriptor = Object.getOwnPropertyDescriptor(target, name)!;
    t.deepEqual([descriptor.enumerable, descriptor.writable, descriptor.configurable], [false, true, true], name);
  }
  t.deepEqual(Object.keys(target), []);
  const scope = target as { crypto: { getRandomValues(a: Uint8Array): Uint8Array }; performance: { now(): number } };
  t.deepEqual([...scope.crypto.getRandomValues(new Uint8Array(2))], [7, 8]);
  t.is(scope.performance.now(), 0);
});

test("installWebGlobals leaves globals that exist alone (Node's, under Node)", (t) => {
  const existingURL = class {};
  const target = { URL: existingURL };
  const installed = installWebGlobals(target, deps);
  t.false(installed.includes("URL"));
  t.is(target.URL, existingURL);
  const node = installWebGlobals(globalThis, deps);
  t.false(node.includes("URL"));
  t.is(globalThis.URL.name, "URL");
});
