/**
 * structured_clone: structuredClone() from the HTML Standard (§ 2.7 "Safe passing of
 * structured data"), done in one pass: serialization and deserialization fused, with the
 * memory map that keeps cycles and shared references (a graph comes back as the same
 * graph).
 *
 * Cloned: primitives (not symbols), Boolean/Number/BigInt/String wrappers, Date, RegExp
 * (without lastIndex), ArrayBuffer (resizable ones keep their maximum), typed arrays and
 * DataView (over the clone of their buffer, so views sharing a buffer still share one),
 * Map, Set, Error and its standard subclasses (name, message, cause, stack), arrays (with
 * their holes and extra properties), ordinary objects (own enumerable string keys; the
 * prototype is not kept, class instances come back as plain objects as in browsers), and
 * this folder's serializable platform objects: Blob, File, DOMException.
 *
 * A DataCloneError DOMException for: symbols, functions, objects with internal slots that
 * cannot be cloned (Promise, WeakMap, WeakSet, WeakRef, FinalizationRegistry, generators
 * and the like) and the other platform objects (URL, Headers, Request, streams, …).
 * SharedArrayBuffer is refused too (this runtime has no second agent to share it with).
 * `transfer` accepts ArrayBuffers: they are detached with ArrayBuffer.prototype.transfer
 * where the engine has it. QuickJS 2025-04-26 does not, and nothing in JavaScript can
 * detach a buffer, so there the bytes are copied and the original stays usable: code must
 * not rely on the detachment. (The streams polyfill transfers every chunk enqueued on a
 * byte stream through here; refusing would break byte streams on QuickJS.)
 *
 * The walk uses an explicit work list, not recursion, so deep graphs do not exhaust the
 * engine's stack.
 */

import { domException, DOMException } from "./dom_exception.ts";
import { Blob, blobBytes, blobFromBytes } from "./file/blob.ts";
import { File } from "./file/file.ts";
import { platformObjectKind } from "./platform_object.ts";

export interface StructuredSerializeOptions {
  transfer?: unknown[];
}

type TypedArrayConstructor =
  | Int8ArrayConstructor | Uint8ArrayConstructor | Uint8ClampedArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor
  | Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

const TYPED_ARRAYS: TypedArrayConstructor[] = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
];

const ERROR_TYPES: Record<string, ErrorConstructor> = {
  Error, EvalError: EvalError as ErrorConstructor, RangeError: RangeError as ErrorConstructor, ReferenceError: ReferenceError as ErrorConstructor,
  SyntaxError: SyntaxError as ErrorConstructor, TypeError: TypeError as ErrorConstructor, URIError: URIError as ErrorConstructor,
};

/** Objects with internal slots this clone cannot carry (HTML: "has any internal slot other than …"). */
const UNCLONEABLE: Array<abstract new (...args: never[]) => unknown> = [Promise, WeakMap, WeakSet];
for (const name of ["WeakRef", "FinalizationRegistry"]) {
  const constructor = (globalThis as Record<string, unknown>)[name];
  if (typeof constructor === "function") UNCLONEABLE.push(constructor as abstract new (...args: never[]) => unknown);
}

function cannotClone(what: string): DOMException {
  return domException("DataCloneError", `${what} could not be cloned.`);
}

function typedArrayConstructor(view: ArrayBufferView): TypedArrayConstructor | undefined {
  return TYPED_ARRAYS.find((constructor) => view instanceof constructor);
}

function describe(value: object): string {
  if (typeof value === "function") return `${value.toString().slice(0, 60)}`;
  return Object.prototype.toString.call(value);
}

export function structuredClone<T>(value: T, options?: StructuredSerializeOptions): T {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
  const memory = new Map<object, unknown>();
  const work: Array<() => void> = [];

  for (const transferable of options?.transfer ?? []) {
    if (!(transferable instanceof ArrayBuffer)) throw cannotClone(`Value at transfer list (${describe(transferable as object)})`);
    if (memory.has(transferable)) throw domException("DataCloneError", "ArrayBuffer at index is a duplicate of an earlier ArrayBuffer.");
    memory.set(transferable, null);
  }
  for (const transferable of options?.transfer ?? []) {
    const buffer = transferable as ArrayBuffer & { transfer?: () => ArrayBuffer };
    memory.set(buffer, typeof buffer.transfer === "function" ? buffer.transfer() : buffer.slice(0));
  }

  const clone = (input: unknown): unknown => {
    if (typeof input === "symbol") throw cannotClone(String(input));
    if (typeof input !== "object" && typeof input !== "function") return input;
    if (input === null) return null;
    if (memory.has(input)) return memory.get(input);
    const output = shell(input);
    return output;
  };

  /** Creates the clone of `input`, records it, and queues its contents. */
  const shell = (input: object): unknown => {
    if (typeof input === "function") throw cannotClone(describe(input));
    const kind = platformObjectKind(input);
    if (kind !== undefined) return platformShell(input, kind);
    let output: unknown;
    if (input instanceof Boolean) output = new Boolean(input.valueOf());
    else if (input instanceof Number) output = new Number(input.valueOf());
    else if (input instanceof String) output = new String(input.valueOf());
    else if (typeof BigInt === "function" && Object.prototype.toString.call(input) === "[object BigInt]") output = Object(BigInt.prototype.valueOf.call(input));
    else if (input instanceof Date) output = new Date(input.getTime());
    else if (input instanceof RegExp) output = new RegExp(input.source, input.flags);
    else if (typeof SharedArrayBuffer === "function" && input instanceof SharedArrayBuffer) throw cannotClone("SharedArrayBuffer");
    else if (input instanceof ArrayBuffer) output = cloneArrayBuffer(input);
    else if (ArrayBuffer.isView(input)) output = cloneView(input);
    else if (input instanceof Map) {
      const map = new Map();
      memory.set(input, map);
      const entries = [...input];
      work.push(() => { for (const [key, value] of entries) map.set(clone(key), clone(value)); });
      return map;
    } else if (input instanceof Set) {
      const set = new Set();
      memory.set(input, set);
      const values = [...input];
      work.push(() => { for (const value of values) set.add(clone(value)); });
      return set;
    } else if (input instanceof Error) output = cloneError(input);
    else if (UNCLONEABLE.some((constructor) => input instanceof constructor) || isGenerator(input)) throw cannotClone(describe(input));
    else if (Array.isArray(input)) {
      const array = new Array(input.length);
      memory.set(input, array);
      work.push(() => copyProperties(input, array as unknown as Record<string, unknown>));
      return array;
    } else {
      const object: Record<string, unknown> = {};
      memory.set(input, object);
      work.push(() => copyProperties(input, object));
      return object;
    }
    memory.set(input, output);
    return output;
  };

  const copyProperties = (input: object, output: Record<string, unknown>): void => {
    for (const key of Object.keys(input)) {
      if (!Object.prototype.propertyIsEnumerable.call(input, key)) continue;
      output[key] = clone((input as Record<string, unknown>)[key]);
    }
  };

  const cloneArrayBuffer = (buffer: ArrayBuffer): ArrayBuffer => {
    const resizable = buffer as ArrayBuffer & { resizable?: boolean; maxByteLength?: number };
    if (resizable.resizable === true) {
      const copy = new (ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer)(buffer.byteLength, { maxByteLength: resizable.maxByteLength! });
      new Uint8Array(copy).set(new Uint8Array(buffer));
      return copy;
    }
    return buffer.slice(0);
  };

  const cloneView = (view: ArrayBufferView): ArrayBufferView => {
    const buffer = clone(view.buffer) as ArrayBuffer;
    if (view instanceof DataView) return new DataView(buffer, view.byteOffset, view.byteLength);
    const constructor = typedArrayConstructor(view);
    if (constructor === undefined) throw cannotClone(describe(view));
    const length = view.byteLength / constructor.BYTES_PER_ELEMENT;
    return new constructor(buffer, view.byteOffset, length);
  };

  const cloneError = (error: Error): Error => {
    const name = Object.prototype.hasOwnProperty.call(ERROR_TYPES, error.name) ? error.name : "Error";
    const messageDescriptor = Object.getOwnPropertyDescriptor(error, "message");
    const message = messageDescriptor !== undefined && "value" in messageDescriptor ? String(messageDescriptor.value) : undefined;
    const copy = message === undefined ? new ERROR_TYPES[name]!() : new ERROR_TYPES[name]!(message);
    memory.set(error, copy);
    const stack = error.stack;
    if (typeof stack === "string") Object.defineProperty(copy, "stack", { value: stack, writable: true, configurable: true, enumerable: false });
    else delete (copy as { stack?: unknown }).stack;
    if (Object.prototype.hasOwnProperty.call(error, "cause")) {
      const cause = (error as { cause?: unknown }).cause;
      work.push(() => Object.defineProperty(copy, "cause", { value: clone(cause), writable: true, configurable: true, enumerable: false }));
    }
    return copy;
  };

  const platformShell = (input: object, kind: string): unknown => {
    if (kind !== "serializable") throw cannotClone(describe(input));
    let output: unknown;
    if (input instanceof File) {
      output = new File([blobBytes(input)], input.name, { type: input.type, lastModified: input.lastModified });
    } else if (input instanceof Blob) {
      output = blobFromBytes(blobBytes(input), input.type);
    } else if (input instanceof DOMException) {
      output = new DOMException(input.message, input.name);
      if (typeof input.stack === "string") Object.defineProperty(output, "stack", { value: input.stack, writable: true, configurable: true });
    } else {
      throw cannotClone(describe(input));
    }
    memory.set(input, output);
    return output;
  };

  const result = clone(value);
  for (let next = 0; next < work.length; next++) work[next]!();
  return result as T;
}

function isGenerator(value: object): boolean {
  const tag = Object.prototype.toString.call(value);
  return tag === "[object Generator]" || tag === "[object AsyncGenerator]";
}
