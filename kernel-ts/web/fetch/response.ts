/**
 * response: Response from the Fetch Standard (§ 6.4.6): the constructor with its checks
 * (status 200–599 else RangeError; a reason phrase for statusText and no body for the
 * null-body statuses 101, 103, 204, 205, 304, else TypeError), and the static makers
 * error() (type "error", status 0), redirect(url, status) (301, 302, 303, 307, 308; a
 * Location header) and json(data, init). Headers made by error() and redirect() are
 * immutable.
 */

import { markPlatformClass } from "../platform_object.ts";
import type { URL } from "../url/url.ts";
import { parseUrl } from "../url/url_parser.ts";
import { serializeUrl } from "../url/url_record.ts";
import { toUsvString } from "../webidl.ts";
import { Body, extractBody, setBody, teeBody, type BodyInit, type ExtractedBody } from "./body.ts";
import { appendIfMissing, Headers, headersGuard, setHeadersGuard, type HeadersInit } from "./headers.ts";
import { isReasonPhrase } from "./http_tokens.ts";

export type ResponseType = "basic" | "cors" | "default" | "error" | "opaque" | "opaqueredirect";

export interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface ResponseState {
  type: ResponseType;
  status: number;
  statusText: string;
  url: string;
  redirected: boolean;
}

const INTERNAL = Symbol("Response.internal");
/** A placeholder that no Response keeps: each constructor path sets its own Headers. */
const EMPTY_HEADERS = new Headers();

/** Fetch § 6.4.6 "initialize a response" (set in the class's static block). */
let initialize: (response: Response, init: ResponseInit, body: ExtractedBody | null) => void;

export class Response extends Body {
  #state: ResponseState = { type: "default", status: 200, statusText: "", url: "", redirected: false };
  #headers: Headers = EMPTY_HEADERS; // every constructor path gives it its own Headers

  constructor(body: BodyInit | null = null, init: ResponseInit = {}) {
    super();
    if ((init as unknown) === INTERNAL) {
      this.#headers = new Headers();
      return;
    }
    const options: ResponseInit = init ?? {};
    const extracted = body === null || body === undefined ? null : extractBody(body);
    initialize(this, options, extracted);
  }

  get type(): ResponseType { return this.#state.type; }
  get url(): string { return this.#state.url; }
  get redirected(): boolean { return this.#state.redirected; }
  get status(): number { return this.#state.status; }
  get ok(): boolean { return this.#state.status >= 200 && this.#state.status <= 299; }
  get statusText(): string { return this.#state.statusText; }
  get headers(): Headers { return this.#headers; }

  clone(): Response {
    const body = teeBody(this, "Response");
    const copy = new Response(null, INTERNAL as unknown as ResponseInit);
    copy.#state = { ...this.#state };
    copy.#headers = new Headers(this.#headers);
    setHeadersGuard(copy.#headers, headersGuard(this.#headers));
    setBody(copy, body);
    return copy;
  }

  /** A network error: type "error", status 0, immutable empty headers. */
  static error(): Response {
    const response = new Response(null, INTERNAL as unknown as ResponseInit);
    response.#state = { type: "error", status: 0, statusText: "", url: "", redirected: false };
    setHeadersGuard(response.#headers, "immutable");
    return response;
  }

  static redirect(url: string | URL, status = 302): Response {
    const text = toUsvString(url);
    const parsed = parseUrl(text);
    if (parsed === null) throw new TypeError(`Failed to execute 'redirect' on 'Response': Invalid URL '${text}'`);
    const code = Number(status);
    if (!REDIRECT_STATUSES.has(code)) throw new RangeError(`Failed to execute 'redirect' on 'Response': Invalid status code ${String(status)}`);
    const response = new Response(null, INTERNAL as unknown as ResponseInit);
    response.#state.status = code;
    response.#headers.set("location", serializeUrl(parsed));
    setHeadersGuard(response.#headers, "immutable");
    return response;
  }

  /** A response whose body is JSON.stringify(data) with Content-Type application/json. */
  static json(data: unknown, init: ResponseInit = {}): Response {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Failed to execute 'json' on 'Response': The data is not JSON serializable");
    const response = new Response(null, INTERNAL as unknown as ResponseInit);
    const extracted = extractBody(text);
    initialize(response, init ?? {}, { body: extracted.body, type: "application/json" });
    return response;
  }

  static {
    initialize = (response, init, body) => {
      const status = init.status === undefined ? 200 : Number(init.status);
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError(`Failed to construct 'Response': The status provided (${String(init.status)}) is outside the range [200, 599].`);
      }
      const statusText = init.statusText === undefined ? "" : String(init.statusText);
      if (!isReasonPhrase(statusText)) throw new TypeError("Failed to construct 'Response': Invalid statusText");
      response.#state.status = status;
      response.#state.statusText = statusText;
      response.#headers = new Headers(init.headers);
      setHeadersGuard(response.#headers, "response");
      if (body !== null) {
        if (NULL_BODY_STATUSES.has(status)) throw new TypeError(`Failed to construct 'Response': Response with null body status (${status}) cannot have body`);
        if (body.type !== null) appendIfMissing(response.#headers, "content-type", body.type);
        setBody(response, body.body);
      }
    };
    Object.defineProperty(Response.prototype, Symbol.toStringTag, { value: "Response", configurable: true });
    markPlatformClass(Response, "not-serializable");
  }
}
