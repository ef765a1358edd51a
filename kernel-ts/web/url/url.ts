/**
 * url: the URL class from the URL Standard (§ 6.1) over a URL record (url_record.ts)
 * and the basic URL parser (url_parser.ts): the constructor, URL.parse and URL.canParse,
 * the getters and setters in the standard's order of steps, and `searchParams`, linked to
 * the record's query.
 *
 * Parse failures throw a TypeError ("Invalid URL"). Setters run the parser in place with a
 * state override and ignore its failure, as the standard says: what the parser changed
 * before it failed stays (a host setter given "example.com:99999" still sets the host).
 * Only the href setter throws.
 */

import { markPlatformClass } from "../platform_object.ts";
import { toUsvString } from "../webidl.ts";
import { percentEncodeString, userinfoSet } from "./percent_encoding.ts";
import { parseUrl, parseUrlInto } from "./url_parser.ts";
import {
  cannotHaveUsernamePasswordPort, hasOpaquePath, serializeOrigin, serializePath, serializeUrl, type UrlRecord,
} from "./url_record.ts";
import { createLinkedSearchParams, replaceSearchParamsList, type URLSearchParams } from "./url_search_params.ts";

/** Parses `url` against `base` (both strings or URLs); null where either fails. */
function parseWithBase(url: unknown, base: unknown): UrlRecord | null {
  let baseRecord: UrlRecord | null = null;
  if (base !== undefined) {
    baseRecord = parseUrl(toUsvString(base));
    if (baseRecord === null) return null;
  }
  return parseUrl(toUsvString(url), baseRecord);
}

/** § 4.4 "potentially strip trailing spaces from an opaque path". */
function stripTrailingSpacesFromOpaquePath(url: UrlRecord): void {
  if (typeof url.path !== "string" || url.fragment !== null || url.query !== null) return;
  url.path = url.path.replace(/ +$/, "");
}

export let urlRecordOf: (url: URL) => UrlRecord;

export class URL {
  #url: UrlRecord;
  /** Made on first use (most URLs are never asked for it), from the query as it is then. */
  #searchParams: URLSearchParams | undefined;

  constructor(url: string | URL, base?: string | URL) {
    // Not `arguments.length`: QuickJS makes an arguments object for every call of a function that names it.
    if (url === undefined && base === undefined) throw new TypeError("Failed to construct 'URL': 1 argument required, but it is undefined.");
    const record = parseWithBase(url, base);
    if (record === null) {
      const detail = base === undefined ? `'${toUsvString(url)}'` : `'${toUsvString(url)}' against base '${toUsvString(base)}'`;
      throw new TypeError(`Failed to construct 'URL': Invalid URL ${detail}`);
    }
    this.#url = record;
  }

  /** The URL, or null where the constructor would throw. */
  static parse(url: string | URL, base?: string | URL): URL | null {
    return parseWithBase(url, base) === null ? null : new URL(url, base);
  }

  static canParse(url: string | URL, base?: string | URL): boolean {
    return parseWithBase(url, base) !== null;
  }

  get href(): string {
    return serializeUrl(this.#url);
  }

  set href(value: string) {
    const record = parseUrl(toUsvString(value));
    if (record === null) throw new TypeError(`Failed to set the 'href' property on 'URL': Invalid URL '${toUsvString(value)}'`);
    this.#url = record;
    if (this.#searchParams !== undefined) replaceSearchParamsList(this.#searchParams, record.query);
  }

  get origin(): string {
    return serializeOrigin(this.#url, (input) => parseUrl(input));
  }

  get protocol(): string {
    return this.#url.scheme + ":";
  }

  set protocol(value: string) {
    parseUrlInto(toUsvString(value) + ":", this.#url, "scheme start");
  }

  get username(): string {
    return this.#url.username;
  }

  set username(value: string) {
    if (cannotHaveUsernamePasswordPort(this.#url)) return;
    this.#url.username = percentEncodeString(toUsvString(value), userinfoSet);
  }

  get password(): string {
    return this.#url.password;
  }

  set password(value: string) {
    if (cannotHaveUsernamePasswordPort(this.#url)) return;
    this.#url.password = percentEncodeString(toUsvString(value), userinfoSet);
  }

  get host(): string {
    const { host, port } = this.#url;
    if (host === null) return "";
    return port === null ? host : `${host}:${port}`;
  }

  set host(value: string) {
    if (hasOpaquePath(this.#url)) return;
    parseUrlInto(toUsvString(value), this.#url, "host");
  }

  get hostname(): string {
    return this.#url.host ?? "";
  }

  set hostname(value: string) {
    if (hasOpaquePath(this.#url)) return;
    parseUrlInto(toUsvString(value), this.#url, "hostname");
  }

  get port(): string {
    return this.#url.port === null ? "" : String(this.#url.port);
  }

  set port(value: string) {
    if (cannotHaveUsernamePasswordPort(this.#url)) return;
    const text = toUsvString(value);
    if (text === "") this.#url.port = null;
    else parseUrlInto(text, this.#url, "port");
  }

  get pathname(): string {
    return serializePath(this.#url);
  }

  set pathname(value: string) {
    if (hasOpaquePath(this.#url)) return;
    this.#url.path = [];
    parseUrlInto(toUsvString(value), this.#url, "path start");
  }

  get search(): string {
    const { query } = this.#url;
    return query === null || query === "" ? "" : "?" + query;
  }

  set search(value: string) {
    const text = toUsvString(value);
    if (text === "") {
      this.#url.query = null;
      if (this.#searchParams !== undefined) replaceSearchParamsList(this.#searchParams, null);
      stripTrailingSpacesFromOpaquePath(this.#url);
      return;
    }
    const input = text.startsWith("?") ? text.slice(1) : text;
    this.#url.query = "";
    parseUrlInto(input, this.#url, "query");
    if (this.#searchParams !== undefined) replaceSearchParamsList(this.#searchParams, input);
  }

  get searchParams(): URLSearchParams {
    // Parsing the query as it is now gives the list the setters would have kept: the
    // urlencoded parser decodes what the URL parser percent-encoded.
    return (this.#searchParams ??= createLinkedSearchParams(this.#url.query, (serialized) => {
      this.#url.query = serialized === "" ? null : serialized;
      if (serialized === "") stripTrailingSpacesFromOpaquePath(this.#url);
    }));
  }

  get hash(): string {
    const { fragment } = this.#url;
    return fragment === null || fragment === "" ? "" : "#" + fragment;
  }

  set hash(value: string) {
    const text = toUsvString(value);
    if (text === "") {
      this.#url.fragment = null;
      stripTrailingSpacesFromOpaquePath(this.#url);
      return;
    }
    const input = text.startsWith("#") ? text.slice(1) : text;
    this.#url.fragment = "";
    parseUrlInto(input, this.#url, "fragment");
  }

  toString(): string {
    return this.href;
  }

  toJSON(): string {
    return this.href;
  }

  static {
    urlRecordOf = (url) => url.#url;
    Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: "URL", configurable: true });
    markPlatformClass(URL, "not-serializable");
  }
}
