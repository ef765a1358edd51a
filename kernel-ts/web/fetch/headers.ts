/**
 * headers: Headers from the Fetch Standard (§ 5.2): an ordered header list with
 * case-insensitive names.
 *
 *   - names must be tokens and values, once normalized (leading and trailing HTTP
 *     whitespace removed), must hold no NUL, CR or LF: otherwise a TypeError;
 *   - get(name) combines every value of that name with ", "; getSetCookie() returns the
 *     Set-Cookie values apart, which are never combined;
 *   - iteration is "sort and combine": lowercase names in code-unit order, one entry per
 *     name, except one entry per Set-Cookie value;
 *   - a name appended again takes the case of its first occurrence in the list.
 *
 * Guards: "immutable" (Response.error(), Response.redirect(), …) rejects every change with
 * a TypeError; "request" and "response" behave like "none". This is a server runtime, as
 * undici and Workers are: there is no forbidden-header filtering.
 */

import { markPlatformClass } from "../platform_object.ts";
import { toByteString } from "../webidl.ts";
import { isHeaderValue, isToken, normalizeHeaderValue } from "./http_tokens.ts";

export type HeadersGuard = "none" | "immutable" | "request" | "response";
export type HeadersInit = Headers | Iterable<Iterable<string>> | Record<string, string>;

interface HeaderEntry {
  readonly name: string;
  readonly lower: string;
  value: string;
}

function checkName(name: string, method: string): void {
  if (!isToken(name)) throw new TypeError(`Failed to execute '${method}' on 'Headers': Invalid name: ${JSON.stringify(name)}`);
}

function checkValue(name: string, value: string, method: string): void {
  if (!isHeaderValue(value)) throw new TypeError(`Failed to execute '${method}' on 'Headers': Invalid value for header ${JSON.stringify(name)}: ${JSON.stringify(value)}`);
}

/**
 * A header value that is valid as it stands: no NUL, CR or LF, nothing above U+00FF, and
 * no HTTP whitespace at either end (normalizing would leave it unchanged). One native scan.
 */
const PLAIN_VALUE = /^(?:[^\0\t\n\r \u0100-\uffff](?:[^\0\n\r\u0100-\uffff]*[^\0\t\n\r \u0100-\uffff])?)?$/;

/**
 * The common case of append and set, checked with two scans instead of five: strings, a
 * token name (a token is a ByteString) and a value that is already a normalized, valid
 * ByteString. Anything else takes the full conversions and checks, with their messages.
 */
function isPlainField(name: unknown, value: unknown): name is string {
  if (typeof name !== "string" || typeof value !== "string") return false;
  if (plainFields.get(name) === value) return true; // this very field passed not long ago
  if (!isToken(name) || !PLAIN_VALUE.test(value)) return false;
  if (name.length + value.length > PLAIN_FIELD_CHARS) return true; // checked, not kept
  if (plainFields.size >= PLAIN_FIELDS_KEPT) plainFields.clear();
  plainFields.set(name, value);
  return true;
}

/**
 * Fields that passed isPlainField lately, by name (its last value): a server sets the same
 * few (Content-Type: text/plain…) on every response, and a Map lookup costs a fraction of
 * the two regex scans under QuickJS. Strings are immutable, so a hit is as good as a scan.
 * Bounded in entries and in their size, so it never holds more than about 16 KiB of text.
 */
const plainFields = new Map<string, string>();
const PLAIN_FIELDS_KEPT = 64;
const PLAIN_FIELD_CHARS = 256;

const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;
const ARRAY_ITERATOR = Array.prototype[Symbol.iterator];
const ARRAY_ITERATOR_PROTOTYPE = Object.getPrototypeOf([][Symbol.iterator]()) as { next: unknown };
const ARRAY_ITERATOR_NEXT = ARRAY_ITERATOR_PROTOTYPE.next;

/** An array whose iteration is the built-in one, so reading it by index is what iterating would give. */
function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && value[Symbol.iterator] === ARRAY_ITERATOR && ARRAY_ITERATOR_PROTOTYPE.next === ARRAY_ITERATOR_NEXT;
}

export let setHeadersGuard: (headers: Headers, guard: HeadersGuard) => void;
export let headersGuard: (headers: Headers) => HeadersGuard;
/**
 * Appends a field the kernel itself knows to be valid (a constant such as a body's
 * Content-Type) when no field of that name is there yet, without the checks append runs.
 * `lower` is the name in lowercase; the headers' guard is not consulted (callers set
 * fields while constructing, before any guard applies).
 */
export let appendIfMissing: (headers: Headers, lower: string, value: string) => void;
/**
 * Headers holding `fields` in order, as the constructor would, without its checks: for
 * fields the kernel's HTTP parser has already checked (token names; values without
 * control characters and without leading or trailing whitespace, bytes as Latin-1).
 */
export let headersFromFields: (fields: readonly (readonly [string, string])[], guard: HeadersGuard) => Headers;

export class Headers {
  #list: HeaderEntry[] = [];
  #guard: HeadersGuard = "none";
  /** The sorted-and-combined view, cached until the list changes. */
  #sorted: Array<[string, string]> | null = null;

  constructor(init?: HeadersInit) {
    if (init !== undefined && init !== null) this.#fill(init);
  }

  append(name: string, value: string): void {
    if (isPlainField(name, value)) {
      this.#checkMutable();
      this.#append(name, value);
      return;
    }
    const byteName = toByteString(name, "Failed to execute 'append' on 'Headers'");
    const normalized = normalizeHeaderValue(toByteString(value, "Failed to execute 'append' on 'Headers'"));
    checkName(byteName, "append");
    checkValue(byteName, normalized, "append");
    this.#checkMutable();
    this.#append(byteName, normalized);
  }

  delete(name: string): void {
    const byteName = toByteString(name, "Failed to execute 'delete' on 'Headers'");
    checkName(byteName, "delete");
    this.#checkMutable();
    const lower = byteName.toLowerCase();
    if (!this.#list.some((entry) => entry.lower === lower)) return;
    this.#list = this.#list.filter((entry) => entry.lower !== lower);
    this.#sorted = null;
  }

  get(name: string): string | null {
    let byteName = name;
    if (typeof name !== "string" || !isToken(name)) { // a token is a ByteString: one scan for the common case
      byteName = toByteString(name, "Failed to execute 'get' on 'Headers'");
      checkName(byteName, "get");
    }
    const lower = byteName.toLowerCase();
    const list = this.#list;
    let combined: string | null = null;
    for (let i = 0; i < list.length; i++) { // loops, not filter/map closures: get and has run for every request
      const entry = list[i]!;
      if (entry.lower === lower) combined = combined === null ? entry.value : `${combined}, ${entry.value}`;
    }
    return combined;
  }

  getSetCookie(): string[] {
    return this.#list.filter((entry) => entry.lower === "set-cookie").map((entry) => entry.value);
  }

  has(name: string): boolean {
    if (typeof name === "string" && isToken(name)) return this.#firstIndex(name.toLowerCase()) >= 0; // a token is a ByteString
    const byteName = toByteString(name, "Failed to execute 'has' on 'Headers'");
    checkName(byteName, "has");
    return this.#firstIndex(byteName.toLowerCase()) >= 0;
  }

  set(name: string, value: string): void {
    const plain = isPlainField(name, value);
    const byteName = plain ? name : toByteString(name, "Failed to execute 'set' on 'Headers'");
    const normalized = plain ? value : normalizeHeaderValue(toByteString(value, "Failed to execute 'set' on 'Headers'"));
    if (!plain) {
      checkName(byteName, "set");
      checkValue(byteName, normalized, "set");
    }
    this.#checkMutable();
    const lower = byteName.toLowerCase();
    const first = this.#firstIndex(lower);
    if (first < 0) {
      this.#list.push({ name: byteName, lower, value: normalized });
    } else {
      this.#list[first]!.value = normalized;
      this.#list = this.#list.filter((entry, index) => index <= first || entry.lower !== lower);
    }
    this.#sorted = null;
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    if (typeof callback !== "function") throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
    // The view is read again at each step: a callback that changes the headers is seen (as in WebIDL's iteration).
    for (let i = 0; i < this.#view().length; i++) {
      const entry = this.#view()[i]!;
      callback.call(thisArg, entry[1], entry[0], this);
    }
  }

  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.#view().length; i++) {
      const [name, value] = this.#view()[i]!;
      yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  #checkMutable(): void {
    if (this.#guard === "immutable") throw new TypeError("Headers are immutable");
  }

  /** The index of the first entry named `lower` (lowercase), or -1: a loop, not a findIndex closure (every request runs it). */
  #firstIndex(lower: string): number {
    const list = this.#list;
    for (let i = 0; i < list.length; i++) if (list[i]!.lower === lower) return i;
    return -1;
  }

  #append(name: string, value: string): void {
    const lower = name.toLowerCase();
    const first = this.#firstIndex(lower);
    this.#list.push({ name: first < 0 ? name : this.#list[first]!.name, lower, value });
    this.#sorted = null;
  }

  #fill(init: HeadersInit): void {
    if (typeof init !== "object" && typeof init !== "function") {
      throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    }
    if (init instanceof Headers) {
      for (const entry of init.#list) this.#append(entry.name, entry.value);
      return;
    }
    const iterator = (init as { [Symbol.iterator]?: unknown })[Symbol.iterator];
    if (iterator !== undefined && iterator !== null) {
      if (typeof iterator !== "function") throw new TypeError("Failed to construct 'Headers': The object's Symbol.iterator is not a function.");
      // A plain array (the common case, and the HTTP server's) is read by index, not through
      // an iterator object and a result object per step: the same items, in the same order.
      if (isPlainArray(init)) {
        for (let i = 0; i < init.length; i++) this.#appendPair(init[i]);
      } else {
        for (const pair of init as Iterable<Iterable<unknown>>) this.#appendPair(pair);
      }
      return;
    }
    const record = init as Record<string, unknown>;
    for (const key of Reflect.ownKeys(record)) {
      // WebIDL's record conversion: [[GetOwnProperty]], skipped unless present and enumerable
      // — which propertyIsEnumerable answers without making a descriptor object.
      if (!propertyIsEnumerable.call(record, key)) continue;
      if (typeof key === "symbol") throw new TypeError("Failed to construct 'Headers': Cannot convert a Symbol value to a string.");
      this.append(key, record[key] as string);
    }
  }

  /** One item of a sequence<sequence<ByteString>> init. */
  #appendPair(pair: unknown): void {
    if (typeof pair !== "object" || pair === null) throw new TypeError("Failed to construct 'Headers': The provided value cannot be converted to a sequence.");
    const items = isPlainArray(pair) ? pair : [...(pair as Iterable<unknown>)];
    if (items.length !== 2) throw new TypeError("Failed to construct 'Headers': Invalid value: each header pair must have exactly two items.");
    this.append(items[0] as string, items[1] as string);
  }

  /** Fetch § 2.2 "sort and combine". */
  #view(): Array<[string, string]> {
    if (this.#sorted !== null) return this.#sorted;
    // A stable sort by lowercase name keeps each name's values in list order; then one pass
    // combines neighbours (loops, not Set/filter/map closures: this runs for every response).
    const entries = this.#list.slice();
    // Insertion sort, stable: lists are a handful of fields, where a comparator call per step costs more.
    for (let i = 1; i < entries.length; i++) {
      const entry = entries[i]!;
      let j = i;
      while (j > 0 && entries[j - 1]!.lower > entry.lower) {
        entries[j] = entries[j - 1]!;
        j--;
      }
      entries[j] = entry;
    }
    const view: Array<[string, string]> = [];
    for (let i = 0; i < entries.length; i++) {
      const { lower, value } = entries[i]!;
      const last = view.length > 0 ? view[view.length - 1]! : undefined;
      if (last !== undefined && last[0] === lower && lower !== "set-cookie") last[1] += `, ${value}`;
      else view.push([lower, value]);
    }
    this.#sorted = view;
    return view;
  }

  static {
    setHeadersGuard = (headers, guard) => { headers.#guard = guard; };
    headersGuard = (headers) => headers.#guard;
    appendIfMissing = (headers, lower, value) => {
      if (headers.#firstIndex(lower) < 0) headers.#append(lower, value);
    };
    headersFromFields = (fields, guard) => {
      const headers = new Headers();
      for (let i = 0; i < fields.length; i++) { const field = fields[i]!; headers.#append(field[0], field[1]); }
      headers.#guard = guard;
      return headers;
    };
    Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: "Headers", configurable: true });
    markPlatformClass(Headers, "not-serializable");
  }
}
