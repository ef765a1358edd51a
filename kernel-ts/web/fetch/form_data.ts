/**
 * form_data: FormData from the XMLHttpRequest Standard: an ordered list of entries whose
 * values are strings or Files (a Blob is wrapped in a File named "blob", or the given
 * file name). Bodies made from it are multipart/form-data (multipart.ts).
 */

import { File } from "../file/file.ts";
import { Blob } from "../file/blob.ts";
import { markPlatformClass } from "../platform_object.ts";
import { toUsvString } from "../webidl.ts";

export type FormDataEntryValue = string | File;

function makeEntryValue(value: unknown, filename: string | undefined, method: string): FormDataEntryValue {
  if (value instanceof Blob) {
    if (value instanceof File && filename === undefined) return value;
    const name = filename !== undefined ? toUsvString(filename) : value instanceof File ? value.name : "blob";
    const options = value instanceof File ? { type: value.type, lastModified: value.lastModified } : { type: value.type };
    return new File([value], name, options);
  }
  if (filename !== undefined) throw new TypeError(`Failed to execute '${method}' on 'FormData': parameter 2 is not of type 'Blob'.`);
  return toUsvString(value);
}

export class FormData {
  #entries: Array<[string, FormDataEntryValue]> = [];

  constructor(form?: undefined) {
    if (form !== undefined) throw new TypeError("Failed to construct 'FormData': there are no HTML forms in this runtime.");
  }

  append(name: string, value: string | Blob, filename?: string): void {
    this.#entries.push([toUsvString(name), makeEntryValue(value, arguments.length > 2 ? filename : undefined, "append")]);
  }

  delete(name: string): void {
    const key = toUsvString(name);
    this.#entries = this.#entries.filter(([n]) => n !== key);
  }

  get(name: string): FormDataEntryValue | null {
    const key = toUsvString(name);
    return this.#entries.find(([n]) => n === key)?.[1] ?? null;
  }

  getAll(name: string): FormDataEntryValue[] {
    const key = toUsvString(name);
    return this.#entries.filter(([n]) => n === key).map(([, v]) => v);
  }

  has(name: string): boolean {
    const key = toUsvString(name);
    return this.#entries.some(([n]) => n === key);
  }

  set(name: string, value: string | Blob, filename?: string): void {
    const key = toUsvString(name);
    const entry: [string, FormDataEntryValue] = [key, makeEntryValue(value, arguments.length > 2 ? filename : undefined, "set")];
    const first = this.#entries.findIndex(([n]) => n === key);
    if (first < 0) {
      this.#entries.push(entry);
    } else {
      this.#entries[first] = entry;
      this.#entries = this.#entries.filter(([n], index) => index <= first || n !== key);
    }
  }

  forEach(callback: (value: FormDataEntryValue, key: string, parent: FormData) => void, thisArg?: unknown): void {
    if (typeof callback !== "function") throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.");
    for (let i = 0; i < this.#entries.length; i++) {
      const [name, value] = this.#entries[i]!;
      callback.call(thisArg, value, name, this);
    }
  }

  *entries(): IterableIterator<[string, FormDataEntryValue]> {
    for (let i = 0; i < this.#entries.length; i++) {
      const [name, value] = this.#entries[i]!;
      yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<FormDataEntryValue> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, FormDataEntryValue]> {
    return this.entries();
  }

  static {
    Object.defineProperty(FormData.prototype, Symbol.toStringTag, { value: "FormData", configurable: true });
    markPlatformClass(FormData, "not-serializable");
  }
}
