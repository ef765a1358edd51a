/**
 * url_search_params: URLSearchParams from the URL Standard (§ 6.2): an ordered list of
 * name-value pairs, parsed from and serialized to application/x-www-form-urlencoded.
 *
 * A URL's `searchParams` is linked to it both ways: a change here writes the URL's query
 * (through the `onUpdate` callback given to `createLinkedSearchParams`), and setting the
 * URL's href or search replaces this list (`replaceSearchParamsList`).
 */

import { markPlatformClass } from "../platform_object.ts";
import { toUsvString } from "../webidl.ts";
import { parseUrlencodedString, serializeUrlencoded, type NameValueList } from "./urlencoded.ts";

export type URLSearchParamsInit = string | URLSearchParams | Iterable<Iterable<string>> | Record<string, string>;

const CONSTRUCT_LINKED = Symbol("URLSearchParams.linked");

export let replaceSearchParamsList: (params: URLSearchParams, query: string | null) => void;
let linkSearchParams: (params: URLSearchParams, onUpdate: (serialized: string) => void) => void;

export class URLSearchParams {
  #list: NameValueList = [];
  #onUpdate: ((serialized: string) => void) | null = null;

  constructor(init: URLSearchParamsInit = "") {
    if (init === (CONSTRUCT_LINKED as unknown)) return;
    if (typeof init === "object" && init !== null) {
      if (init instanceof URLSearchParams) {
        this.#list = init.#list.map(([name, value]) => [name, value]);
        return;
      }
      const iterator = (init as { [Symbol.iterator]?: unknown })[Symbol.iterator];
      if (iterator !== undefined && iterator !== null) {
        if (typeof iterator !== "function") throw new TypeError("Failed to construct 'URLSearchParams': The object's Symbol.iterator is not a function.");
        for (const pair of init as Iterable<Iterable<unknown>>) {
          if (typeof pair !== "object" || pair === null) throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
          const items = [...pair];
          if (items.length !== 2) throw new TypeError("Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements");
          this.#list.push([toUsvString(items[0]), toUsvString(items[1])]);
        }
        return;
      }
      const record = init as Record<string, unknown>;
      for (const key of Reflect.ownKeys(record)) {
        const descriptor = Reflect.getOwnPropertyDescriptor(record, key);
        if (descriptor === undefined || !descriptor.enumerable) continue;
        if (typeof key === "symbol") throw new TypeError("Failed to construct 'URLSearchParams': Cannot convert a Symbol value to a string.");
        this.#list.push([toUsvString(key), toUsvString(record[key])]);
      }
      return;
    }
    let text = toUsvString(init);
    if (text.startsWith("?")) text = text.slice(1);
    this.#list = parseUrlencodedString(text);
  }

  get size(): number {
    return this.#list.length;
  }

  append(name: string, value: string): void {
    this.#list.push([toUsvString(name), toUsvString(value)]);
    this.#update();
  }

  delete(name: string, value?: string): void {
    const key = toUsvString(name);
    const match = value === undefined ? undefined : toUsvString(value);
    this.#list = this.#list.filter(([n, v]) => n !== key || (match !== undefined && v !== match));
    this.#update();
  }

  get(name: string): string | null {
    const key = toUsvString(name);
    return this.#list.find(([n]) => n === key)?.[1] ?? null;
  }

  getAll(name: string): string[] {
    const key = toUsvString(name);
    return this.#list.filter(([n]) => n === key).map(([, v]) => v);
  }

  has(name: string, value?: string): boolean {
    const key = toUsvString(name);
    const match = value === undefined ? undefined : toUsvString(value);
    return this.#list.some(([n, v]) => n === key && (match === undefined || v === match));
  }

  set(name: string, value: string): void {
    const key = toUsvString(name);
    const text = toUsvString(value);
    const first = this.#list.findIndex(([n]) => n === key);
    if (first < 0) {
      this.#list.push([key, text]);
    } else {
      this.#list[first] = [key, text];
      this.#list = this.#list.filter(([n], index) => index <= first || n !== key);
    }
    this.#update();
  }

  /** Stable sort by name, comparing code units (§ 6.2 sort()). */
  sort(): void {
    const indexed = this.#list.map((pair, index) => ({ pair, index }));
    indexed.sort((a, b) => (a.pair[0] < b.pair[0] ? -1 : a.pair[0] > b.pair[0] ? 1 : a.index - b.index));
    this.#list = indexed.map(({ pair }) => pair);
    this.#update();
  }

  forEach(callback: (value: string, key: string, parent: URLSearchParams) => void, thisArg?: unknown): void {
    if (typeof callback !== "function") throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'.");
    for (let i = 0; i < this.#list.length; i++) {
      const [name, value] = this.#list[i]!;
      callback.call(thisArg, value, name, this);
    }
  }

  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.#list.length; i++) {
      const [name, value] = this.#list[i]!;
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

  toString(): string {
    return serializeUrlencoded(this.#list);
  }

  #update(): void {
    this.#onUpdate?.(serializeUrlencoded(this.#list));
  }

  static {
    linkSearchParams = (params, onUpdate) => { params.#onUpdate = onUpdate; };
    replaceSearchParamsList = (params, query) => {
      params.#list = query === null || query === "" ? [] : parseUrlencodedString(query);
    };
    Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: "URLSearchParams", configurable: true });
    markPlatformClass(URLSearchParams, "not-serializable");
  }
}

/** A URLSearchParams over `query` whose changes are reported to `onUpdate` (a URL's searchParams). */
export function createLinkedSearchParams(query: string | null, onUpdate: (serialized: string) => void): URLSearchParams {
  const params = new URLSearchParams(CONSTRUCT_LINKED as unknown as string);
  replaceSearchParamsList(params, query);
  linkSearchParams(params, onUpdate);
  return params;
}
