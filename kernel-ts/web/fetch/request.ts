/**
 * request: Request from the Fetch Standard (§ 6.4.4) for a runtime that serves and sends
 * HTTP without a browser's context: there is no document, so relative URLs fail (no API
 * base URL), the referrer is "about:client" unless given, and the modes, credentials and
 * cache settings are stored and validated but steer nothing here.
 *
 * Checked as the standard does: the URL parses and has no credentials; the method is a
 * token, not CONNECT, TRACE or TRACK, and DELETE/GET/HEAD/OPTIONS/POST/PUT are upper-cased;
 * GET and HEAD carry no body; a ReadableStream body needs `duplex: "half"`; enum members
 * are from their enums. `signal` follows init.signal (or the input Request's).
 */

import { AbortSignal, createAbortSignal } from "../abort_signal.ts";
import { markPlatformClass } from "../platform_object.ts";
import { ReadableStream, TransformStream } from "../streams.ts";
import { URL } from "../url/url.ts";
import { simpleUrlHref } from "../url/fast_path.ts";
import { parseUrl } from "../url/url_parser.ts";
import { includesCredentials, serializeUrl } from "../url/url_record.ts";
import { toUsvString } from "../webidl.ts";
import { Body, bodyOf, extractBody, setBody, streamOf, teeBody, type BodyInit, type BodyState } from "./body.ts";
import { appendIfMissing, Headers, headersFromFields, setHeadersGuard, type HeadersInit } from "./headers.ts";
import { isToken } from "./http_tokens.ts";
import { SERVER_REQUEST } from "./server_request.ts";

export type RequestInfo = Request | string;
export type RequestMode = "cors" | "navigate" | "no-cors" | "same-origin";
export type RequestCredentials = "include" | "omit" | "same-origin";
export type RequestCache = "default" | "force-cache" | "no-cache" | "no-store" | "only-if-cached" | "reload";
export type RequestRedirect = "error" | "follow" | "manual";
export type RequestDuplex = "half";
export type ReferrerPolicy = "" | "no-referrer" | "no-referrer-when-downgrade" | "origin" | "origin-when-cross-origin" | "same-origin" | "strict-origin" | "strict-origin-when-cross-origin" | "unsafe-url";

export interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
  referrer?: string;
  referrerPolicy?: ReferrerPolicy;
  mode?: RequestMode;
  credentials?: RequestCredentials;
  cache?: RequestCache;
  redirect?: RequestRedirect;
  integrity?: string;
  keepalive?: boolean;
  signal?: AbortSignal | null;
  duplex?: RequestDuplex;
  window?: null;
}

const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const REFERRER_POLICIES = ["", "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"];

function enumValue<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  const text = String(value);
  if (!(allowed as readonly string[]).includes(text)) {
    throw new TypeError(`Failed to construct 'Request': Failed to read the '${what}' property from 'RequestInit': The provided value '${text}' is not a valid enum value of type ${what}.`);
  }
  return text as T;
}

function fail(message: string): TypeError {
  return new TypeError(`Failed to construct 'Request': ${message}`);
}

interface RequestState {
  method: string;
  url: string;
  referrer: string;
  referrerPolicy: ReferrerPolicy;
  mode: RequestMode;
  credentials: RequestCredentials;
  cache: RequestCache;
  redirect: RequestRedirect;
  integrity: string;
  keepalive: boolean;
}

const CLONE = Symbol("Request.clone");
/** The constructor's init for a server request: its parts wait in `serverParts`. */
const SERVER = Symbol("Request.server");
let serverParts: { method: string; fields: readonly (readonly [string, string])[]; body: ReadableStream<Uint8Array> | null } | undefined;

/** The Request `new Request(url, init)` gives for a URL that parses without credentials, or a TypeError. */
function requestUrl(text: string): string {
  // A simple URL (fast_path.ts: no credentials, nothing to rewrite) gives its href at once.
  const simple = simpleUrlHref(text);
  if (simple !== undefined) return simple;
  const parsed = parseUrl(text);
  if (parsed === null) throw fail(`Failed to parse URL from ${text}`);
  if (includesCredentials(parsed)) throw fail(`Request cannot be constructed from a URL that includes credentials: ${text}`);
  return serializeUrl(parsed);
}

/** The method as the constructor keeps it (the standard's six upper-cased), or a TypeError. */
function requestMethod(method: string): string {
  if (!isToken(method)) throw fail(`'${method}' is not a valid HTTP method.`);
  const upper = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw fail(`'${method}' HTTP method is unsupported.`);
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

function defaultState(method: string, url: string): RequestState {
  return {
    method, url, referrer: "about:client", referrerPolicy: "", mode: "cors",
    credentials: "same-origin", cache: "default", redirect: "follow", integrity: "", keepalive: false,
  };
}

export class Request extends Body {
  #state: RequestState;
  #headers: Headers;
  /** Made on first use when the Request follows no signal (the server's Requests: most never look). */
  #signal: AbortSignal | undefined;

  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super();
    // Not `arguments.length`: QuickJS makes an arguments object for every call of a function that names it.
    if (input === undefined && init === undefined) throw fail("1 argument required, but it is undefined.");
    if (init === (SERVER as unknown)) {
      // The HTTP server's request (server_request.ts): its fields were checked by its parser.
      const { method, fields, body } = serverParts!;
      serverParts = undefined;
      const url = requestUrl(input as string); // the URL first, as below: its error names the URL
      this.#state = defaultState(requestMethod(method), url);
      this.#signal = undefined;
      this.#headers = headersFromFields(fields, "request");
      if (body !== null && (this.#state.method === "GET" || this.#state.method === "HEAD")) throw fail("Request with GET/HEAD method cannot have body.");
      setBody(this, body === null ? null : extractBody(body).body);
      return;
    }
    if (init === (CLONE as unknown)) {
      const source = input as Request;
      this.#state = { ...source.#state };
      this.#headers = new Headers(source.#headers);
      this.#signal = followSignal(source.#ownSignal());
      return;
    }
    const options: RequestInit = init ?? {};
    let state: RequestState;
    let inputBody: BodyState | null = null;
    let inputSignal: AbortSignal | null = null;
    if (input instanceof Request) {
      state = { ...input.#state };
      inputBody = bodyOf(input);
      inputSignal = input.#ownSignal();
    } else {
      state = defaultState("GET", requestUrl(toUsvString(input)));
    }

    if (options.window !== undefined && options.window !== null) throw fail("'window' can only be null.");
    if (options.referrer !== undefined) {
      const referrer = toUsvString(options.referrer);
      if (referrer === "") {
        state.referrer = "";
      } else {
        const parsed = parseUrl(referrer);
        if (parsed === null) throw fail(`Referrer "${referrer}" is not a valid URL.`);
        state.referrer = parsed.scheme === "about" && parsed.path === "client" ? "about:client" : serializeUrl(parsed);
      }
    }
    if (options.referrerPolicy !== undefined) state.referrerPolicy = enumValue(options.referrerPolicy, REFERRER_POLICIES as ReferrerPolicy[], "ReferrerPolicy");
    if (options.mode !== undefined) {
      state.mode = enumValue(options.mode, ["cors", "navigate", "no-cors", "same-origin"], "RequestMode");
      if (state.mode === "navigate") throw fail("Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'.");
    }
    if (options.credentials !== undefined) state.credentials = enumValue(options.credentials, ["include", "omit", "same-origin"], "RequestCredentials");
    if (options.cache !== undefined) state.cache = enumValue(options.cache, ["default", "force-cache", "no-cache", "no-store", "only-if-cached", "reload"], "RequestCache");
    if (state.cache === "only-if-cached" && state.mode !== "same-origin") throw fail("'only-if-cached' can be set only with 'same-origin' mode");
    if (options.redirect !== undefined) state.redirect = enumValue(options.redirect, ["error", "follow", "manual"], "RequestRedirect");
    if (options.integrity !== undefined) state.integrity = String(options.integrity);
    if (options.keepalive !== undefined) state.keepalive = Boolean(options.keepalive);
    if (options.method !== undefined) state.method = requestMethod(String(options.method));
    const signal = options.signal !== undefined ? options.signal : inputSignal;
    if (signal !== null && !(signal instanceof AbortSignal)) throw fail("Failed to read the 'signal' property from 'RequestInit': The provided value is not of type 'AbortSignal'.");

    this.#state = state;
    this.#signal = signal === null ? undefined : followSignal(signal);
    const headersInit = options.headers !== undefined ? options.headers : input instanceof Request ? input.#headers : undefined;
    this.#headers = new Headers(headersInit);
    setHeadersGuard(this.#headers, "request");

    const initBody = options.body;
    const hasInitBody = initBody !== undefined && initBody !== null;
    if ((hasInitBody || inputBody !== null) && (state.method === "GET" || state.method === "HEAD")) {
      throw fail("Request with GET/HEAD method cannot have body.");
    }
    let body: BodyState | null = null;
    if (hasInitBody) {
      const extracted = extractBody(initBody);
      if (extracted.type !== null) appendIfMissing(this.#headers, "content-type", extracted.type);
      if (initBody instanceof ReadableStream && options.duplex !== "half") throw fail("The duplex member must be specified for a request with a streaming body");
      body = extracted.body;
    } else if (inputBody !== null && input instanceof Request) {
      const inputStream = streamOf(inputBody);
      if (input.bodyUsed || inputStream.locked) throw fail("Cannot construct a Request with a Request object that has already been used.");
      // The input's stream moves here behind an identity transform, which leaves it locked
      // and disturbed: the input Request is used (Fetch § 6.4.4, "create a proxy").
      body = { stream: inputStream.pipeThrough(new TransformStream<Uint8Array, Uint8Array>()), bytes: undefined, used: false, length: inputBody.length };
    }
    setBody(this, body);
  }

  get method(): string { return this.#state.method; }
  get url(): string { return this.#state.url; }
  get headers(): Headers { return this.#headers; }
  get destination(): string { return ""; }
  get referrer(): string { return this.#state.referrer; }
  get referrerPolicy(): ReferrerPolicy { return this.#state.referrerPolicy; }
  get mode(): RequestMode { return this.#state.mode; }
  get credentials(): RequestCredentials { return this.#state.credentials; }
  get cache(): RequestCache { return this.#state.cache; }
  get redirect(): RequestRedirect { return this.#state.redirect; }
  get integrity(): string { return this.#state.integrity; }
  get keepalive(): boolean { return this.#state.keepalive; }
  get isReloadNavigation(): boolean { return false; }
  get isHistoryNavigation(): boolean { return false; }
  get signal(): AbortSignal { return this.#ownSignal(); }
  get duplex(): RequestDuplex { return "half"; }

  /** The internal slot (not the getter, which a subclass may override), made on first use. */
  #ownSignal(): AbortSignal {
    return (this.#signal ??= followSignal(null));
  }

  clone(): Request {
    const body = teeBody(this, "Request");
    const copy = new Request(this, CLONE as unknown as RequestInit);
    setBody(copy, body);
    return copy;
  }

  static {
    Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: "Request", configurable: true });
    markPlatformClass(Request, "not-serializable");
    // server_request.ts's ServerRequestFactory (in the global types, which the kernel's classes implement).
    const serverRequest = (url: string, method: string, fields: readonly (readonly [string, string])[], body: ReadableStream<Uint8Array> | null): Request => {
      serverParts = { method, fields, body };
      try {
        return new Request(url, SERVER as unknown as RequestInit);
      } finally {
        serverParts = undefined;
      }
    };
    Object.defineProperty(Request, SERVER_REQUEST, { value: serverRequest });
  }
}

/** A new signal that aborts when `signal` does (or a fresh one when there is none). */
function followSignal(signal: AbortSignal | null): AbortSignal {
  return signal === null ? createAbortSignal() : AbortSignal.any([signal]);
}
