// structuredClone against Node's own: values, cyclic and shared graphs, views over one
// buffer, errors, and the DataCloneError cases.
import test from "ava";
import { Blob, DOMException, File, Headers, structuredClone, URL } from "../../../kernel-ts/web/mod.ts";

const nodeClone = globalThis.structuredClone;

/** A description that shows types, prototypes, sharing and cycles, for comparing clones. */
function shape(value: unknown, seen = new Map<object, number>()): unknown {
  if (typeof value !== "object" || value === null) {
    if (typeof value === "number" && Object.is(value, -0)) return "-0";
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "number" && Number.isNaN(value)) return "NaN";
    return value === undefined ? "undefined" : value;
  }
  if (seen.has(value)) return `ref#${seen.get(value)}`;
  seen.set(value, seen.size);
  const tag = Object.prototype.toString.call(value);
  const proto = Object.getPrototypeOf(value);
  const kind = `${tag} ${proto === null ? "null" : proto.constructor?.name}`;
  if (value instanceof Date) return [kind, value.getTime()];
  if (value instanceof RegExp) return [kind, value.source, value.flags, value.lastIndex];
  if (value instanceof ArrayBuffer) return [kind, [...new Uint8Array(value)]];
  if (ArrayBuffer.isView(value)) return [kind, value.byteOffset, value.byteLength, shape(value.buffer, seen)];
  if (value instanceof Map) return [kind, [...value].map(([k, v]) => [shape(k, seen), shape(v, seen)])];
  if (value instanceof Set) return [kind, [...value].map((v) => shape(v, seen))];
  if (value instanceof Error) return [kind, value.name, value.message, "cause" in value ? shape(value.cause, seen) : "no cause"];
  if (value instanceof Boolean || value instanceof Number || value instanceof String) return [kind, value.valueOf()];
  const keys = Reflect.ownKeys(value).filter((key) => key !== "length" || !Array.isArray(value));
  return [kind, Array.isArray(value) ? value.length : -1, keys.map((key) => [String(key), shape((value as Record<PropertyKey, unknown>)[key], seen)])];
}

function corpus(): Array<[string, unknown]> {
  const shared = { s: 1 };
  const cycle: Record<string, unknown> = { name: "root" };
  cycle["self"] = cycle;
  cycle["list"] = [cycle, shared, shared];
  const buffer = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer;
  const map = new Map<unknown, unknown>([["k", shared], [shared, "v"]]);
  map.set("me", map);
  const set = new Set<unknown>([1, "a", shared]);
  set.add(set);
  const sparse = [1, , 3];
  (sparse as unknown as Record<string, unknown>)["extra"] = "x";
  class Point { x = 1; #secret = 2; get y() { return this.#secret; } }
  const regex = /a+b/gi;
  regex.lastIndex = 3;
  const withCause = new RangeError("outer", { cause: new Error("inner") });
  const custom = new (class MyError extends TypeError {})("custom");
  const getter = { get g() { return "computed"; }, plain: true };
  Object.defineProperty(getter, "hidden", { value: 1, enumerable: false });
  return [
    ["primitives", [undefined, null, true, false, 0, -0, NaN, Infinity, 1.5, 10n, "", "str\u0000é"]],
    ["wrappers", [new Boolean(false), new Number(-0), new String("s"), Object(7n)]],
    ["dates and regexps", [new Date(0), new Date(NaN), regex, /x/y]],
    ["cyclic object", cycle],
    ["shared references", { a: shared, b: shared, c: [shared] }],
    ["buffers and views sharing one buffer", { buffer, u8: new Uint8Array(buffer, 2, 4), i16: new Int16Array(buffer, 0, 2), dv: new DataView(buffer, 1, 3), f64: new Float64Array(buffer) }],
    ["all typed arrays", [new Int8Array([-1]), new Uint8ClampedArray([255]), new Uint16Array([65535]), new Int32Array([-5]), new Uint32Array([7]), new Float32Array([0.5]), new BigInt64Array([-1n]), new BigUint64Array([1n])]],
    ["map with cycle", map],
    ["set with cycle", set],
    ["sparse array with extra property", sparse],
    ["class instance with private field", new Point()],
    ["errors", [new Error("e"), new TypeError("t"), new SyntaxError("s"), new EvalError("v"), new URIError("u"), new ReferenceError("r"), withCause, custom]],
    ["getters and non-enumerables", getter],
    ["null prototype", Object.assign(Object.create(null), { z: 1 })],
    ["symbol-keyed property is skipped", { [Symbol("s")]: 1, k: 2 }],
  ];
}

test("clones have Node's shape: types, values, sharing and cycles", (t) => {
  for (const [label, value] of corpus()) {
    t.deepEqual(shape(structuredClone(value)), shape(nodeClone(value)), label);
  }
});

test("a cyclic graph comes back as a new graph with the same cycles", (t) => {
  const root: Record<string, unknown> = { children: [] };
  for (let i = 0; i < 3; i++) (root["children"] as unknown[]).push({ parent: root, index: i });
  const copy = structuredClone(root);
  t.not(copy, root);
  const children = copy["children"] as Array<{ parent: unknown }>;
  for (const child of children) t.is(child.parent, copy);
});

test("deep graphs do not exhaust the stack", (t) => {
  let list: { next: unknown } = { next: null };
  for (let i = 0; i < 100_000; i++) list = { next: list };
  let copy = structuredClone(list);
  let depth = 0;
  while (copy.next !== null) { copy = copy.next as { next: unknown }; depth++; }
  t.is(depth, 100_000);
});

test("errors keep their stack; error names outside the standard list become Error", (t) => {
  const error = new TypeError("boom");
  t.is(structuredClone(error).stack, error.stack);
  const odd = new Error("x");
  odd.name = "Weird";
  t.is(structuredClone(odd).name, nodeClone(odd).name);
});

test("DataCloneError for symbols, functions, promises, weak collections and non-serializable platform objects", (t) => {
  const values: unknown[] = [Symbol("s"), () => 1, function named() {}, Promise.resolve(), new WeakMap(), new WeakSet(), { nested: [() => 2] }, (function* gen() {})()];
  for (const value of values) {
    let nodeName = "none";
    try { nodeClone(value); } catch (error) { nodeName = (error as Error).name; }
    const error = t.throws(() => structuredClone(value), { instanceOf: DOMException });
    t.is(error?.name, "DataCloneError");
    t.is(nodeName, "DataCloneError", String(value));
  }
  for (const platform of [new URL("http://h/"), new Headers()]) {
    t.throws(() => structuredClone(platform), { instanceOf: DOMException, name: "DataCloneError" });
  }
});

test("Blob, File and DOMException are serializable", async (t) => {
  const blob = structuredClone(new Blob(["data"], { type: "text/x" }));
  t.true(blob instanceof Blob);
  t.deepEqual([blob.type, await blob.text()], ["text/x", "data"]);
  const file = structuredClone(new File(["f"], "n.txt", { lastModified: 9 }));
  t.true(file instanceof File);
  t.deepEqual([file.name, file.lastModified, await file.text()], ["n.txt", 9, "f"]);
  const exception = structuredClone(new DOMException("m", "AbortError"));
  t.true(exception instanceof DOMException);
  t.deepEqual([exception.name, exception.message, exception.code], ["AbortError", "m", 20]);
});

test("transfer moves the bytes, detaching the ArrayBuffer where the engine can", (t) => {
  const buffer = new Uint8Array([1, 2, 3]).buffer;
  if (typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer !== "function") {
    // Node 20 and QuickJS 2025-04-26 cannot detach: the bytes are copied, the original stays.
    const copy = structuredClone({ buffer }, { transfer: [buffer] });
    t.deepEqual([...new Uint8Array(copy.buffer)], [1, 2, 3]);
    t.not(copy.buffer, buffer);
    t.is(buffer.byteLength, 3);
    t.throws(() => structuredClone(1, { transfer: [{}] }), { name: "DataCloneError" });
    return;
  }
  const copy = structuredClone({ buffer }, { transfer: [buffer] });
  t.is(buffer.byteLength, 0);
  t.deepEqual([...new Uint8Array(copy.buffer)], [1, 2, 3]);
  t.throws(() => structuredClone(1, { transfer: [{}] }), { name: "DataCloneError" });
});
