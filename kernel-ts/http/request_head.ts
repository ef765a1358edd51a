/**
 * request_head: the request line and header section of an HTTP/1.1 request (RFC 9112 §2–§5)
 * from raw bytes, and how its body is framed (§6.3). Two steps, so the connection can
 * read in pieces: findHeadEnd() says where the head ends (or that it is already too long),
 * parseRequestHead() turns the complete head into a RequestHead or throws HttpError with
 * the status to answer:
 *   400  a malformed line, a bad field name or value, obs-fold, a missing or repeated Host
 *        (HTTP/1.1), Content-Length that is not one number, both Transfer-Encoding and
 *        Content-Length (the ambiguity request smuggling lives on, §6.3 ¶3)
 *   413  a Content-Length over the body limit        414  a request line over its limit
 *   417  an Expect other than 100-continue            431  a header section over its limits
 *   501  a transfer coding other than chunked        505  an HTTP major version other than 1
 * Lines end in LF with an optional CR before it (§2.2 lets a recipient accept a bare LF);
 * empty lines before the request line are skipped (§2.2). Bytes are ISO-8859-1 (§5.5).
 */

import { asciiDecode } from "../ascii.ts";
import { isToken } from "../web/fetch/http_tokens.ts";
import { HttpError } from "./errors.ts";
import type { HttpLimits } from "./limits.ts";

export type BodyFraming =
  | { readonly kind: "none" }
  | { readonly kind: "length"; readonly length: number }
  | { readonly kind: "chunked" };

export interface RequestHead {
  readonly method: string;
  /** The request-target as sent (origin-form "/a?b", absolute-form, authority-form or "*"). */
  readonly target: string;
  readonly version: "1.0" | "1.1";
  /** Field lines in order, names as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: BodyFraming;
  /** The connection may carry another request after this one (§9.3). */
  readonly keepAlive: boolean;
  /** Expect: 100-continue (RFC 9110 §10.1.1). */
  readonly expectContinue: boolean;
  /** The Host field (undefined only for HTTP/1.0 without one). */
  readonly host: string | undefined;
}

const LF = 0x0a;
const CR = 0x0d;

/** A field value: VCHAR, obs-text, SP and HTAB only (no CR, LF or NUL; RFC 9110 §5.5). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** A request-target has no whitespace or control characters (RFC 9112 §3.2). */
const TARGET = /^[\x21-\x7e\x80-\xff]+$/;
const VERSION = /^HTTP\/(\d)\.(\d)$/;

export interface HeadEnd {
  /** Where the request line starts (after skipped empty lines). */
  readonly start: number;
  /** Just past the empty line that ends the head. */
  readonly end: number;
}

/**
 * Where the head in `buffer` ends, or undefined if it has not all arrived. Throws 414 when
 * the request line has run past its limit without ending, 431 when the head has.
 */
export function findHeadEnd(buffer: Uint8Array, limits: HttpLimits): HeadEnd | undefined {
  let start = 0;
  // Empty lines before the request line (§2.2): a client's stray CRLF after a body.
  for (;;) {
    if (buffer[start] === LF) start += 1;
    else if (buffer[start] === CR && buffer[start + 1] === LF) start += 2;
    else break;
  }
  const lineEnd = buffer.indexOf(LF, start);
  if (lineEnd < 0) {
    if (buffer.length - start > limits.requestLineBytes) throw new HttpError(414, `Cannot read request: the request line is longer than ${limits.requestLineBytes} bytes`);
    return undefined;
  }
  if (lineEnd - start > limits.requestLineBytes) throw new HttpError(414, `Cannot read request: the request line is longer than ${limits.requestLineBytes} bytes`);
  // The head ends at an empty line: LF LF or LF CR LF.
  for (let at = buffer.indexOf(LF, lineEnd + 1), previous = lineEnd; at >= 0; previous = at, at = buffer.indexOf(LF, at + 1)) {
    if (at - lineEnd > limits.headerBytes) break;
    const length = at - previous - 1;
    if (length === 0 || (length === 1 && buffer[at - 1] === CR)) return { start, end: at + 1 };
  }
  if (buffer.length - lineEnd > limits.headerBytes) throw new HttpError(431, `Cannot read request: the header section is longer than ${limits.headerBytes} bytes`);
  return undefined;
}

/** Splits the head into lines, without terminators; a CR anywhere but before LF is an error. */
function lines(head: Uint8Array): string[] {
  const out = latin1(head).split("\n");
  out.pop(); // what follows the last LF: not a line
  for (let i = 0; i < out.length; i++) {
    const line = out[i]!.endsWith("\r") ? out[i]!.slice(0, -1) : out[i]!;
    if (line.includes("\r")) throw new HttpError(400, "Cannot read request: a bare CR in the head");
    out[i] = line;
  }
  return out;
}

/** The head as ISO-8859-1 text, a character per byte: the platform's native decode when it is all ASCII. */
function latin1(head: Uint8Array): string {
  const ascii = asciiDecode(head);
  if (ascii !== undefined) return ascii;
  let text = "";
  for (let i = 0; i < head.length; i++) text += String.fromCharCode(head[i]!);
  return text;
}

/** Parses the head found by findHeadEnd: `head` runs from its start to its end. */
export function parseRequestHead(head: Uint8Array, limits: HttpLimits): RequestHead {
  const all = lines(head);
  all.pop(); // the empty line that ends the head
  const requestLine = all[0] ?? "";
  const parts = requestLine.split(" ");
  if (parts.length !== 3) throw new HttpError(400, `Cannot read request line "${printable(requestLine)}": expected METHOD SP TARGET SP VERSION`);
  const [method, target, versionText] = parts as [string, string, string];
  if (!isToken(method)) throw new HttpError(400, `Cannot read request: method "${printable(method)}" is not a token`);
  if (!TARGET.test(target)) throw new HttpError(400, `Cannot read request: request-target "${printable(target)}" is empty or has spaces or control characters`);
  const version = versionOf(versionText);

  if (all.length - 1 > limits.headerCount) throw new HttpError(431, `Cannot read request: more than ${limits.headerCount} header fields`);
  const headers: Array<readonly [string, string]> = [];
  const framingFields: FramingFields = { host: undefined, connection: undefined, expect: undefined, transferEncoding: undefined, contentLength: undefined };
  for (let i = 1; i < all.length; i++) {
    const line = all[i]!;
    const first = line.charCodeAt(0);
    if (first === SP || first === HTAB) throw new HttpError(400, "Cannot read request: obsolete line folding in the header section"); // §5.2
    const colon = line.indexOf(":");
    if (colon <= 0) throw new HttpError(400, `Cannot read header line "${printable(line)}": no field name before ":"`);
    const name = line.slice(0, colon);
    if (!isToken(name)) throw new HttpError(400, `Cannot read header "${printable(name)}": the field name is not a token (whitespace before ":" is not allowed, §5.1)`);
    const value = withoutOws(line, colon + 1);
    if (!FIELD_VALUE.test(value)) throw new HttpError(400, `Cannot read header ${name}: the value has control characters`);
    headers.push([name, value]);
    noteFramingField(framingFields, name, value);
  }
  const framed = framing(version, framingFields, limits);
  return { method, target, version, headers, body: framed.body, keepAlive: framed.keepAlive, expectContinue: framed.expectContinue, host: framed.host };
}

const SP = 0x20;
const HTAB = 0x09;

/** "HTTP/1.1" and "HTTP/1.0" without a regex; anything else through VERSION (§2.3). */
function versionOf(text: string): "1.0" | "1.1" {
  if (text === "HTTP/1.1") return "1.1";
  if (text === "HTTP/1.0") return "1.0";
  const match = VERSION.exec(text);
  if (match === null) throw new HttpError(400, `Cannot read request: "${printable(text)}" is not an HTTP version`);
  if (match[1] !== "1") throw new HttpError(505, `Cannot serve HTTP/${match[1]}.${match[2]}: this server speaks HTTP/1.1`);
  return match[2] === "0" ? "1.0" : "1.1"; // a higher minor version is answered as 1.1
}

/** line[from…] without the optional whitespace (SP, HTAB) around a field value (§5.1). */
function withoutOws(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && (line.charCodeAt(start) === SP || line.charCodeAt(start) === HTAB)) start++;
  while (end > start && (line.charCodeAt(end - 1) === SP || line.charCodeAt(end - 1) === HTAB)) end--;
  return line.slice(start, end);
}

/** The values of the fields that decide framing, in order; undefined for a field not sent. */
interface FramingFields {
  host: string[] | undefined;
  connection: string[] | undefined;
  expect: string[] | undefined;
  transferEncoding: string[] | undefined;
  contentLength: string[] | undefined;
}

/** Notes `value` when `name` is one of the framing fields (one switch per field, no Map). */
function noteFramingField(fields: FramingFields, name: string, value: string): void {
  let key: keyof FramingFields;
  switch (name.length) { // most fields are none of these: the length rules them out without lowercasing
    case 4: key = "host"; break;
    case 6: key = "expect"; break;
    case 10: key = "connection"; break;
    case 14: key = "contentLength"; break;
    case 17: key = "transferEncoding"; break;
    default: return;
  }
  const lower = name.toLowerCase();
  if (lower !== FRAMING_NAMES[key]) return;
  const values = fields[key];
  if (values === undefined) fields[key] = [value];
  else values.push(value);
}

const FRAMING_NAMES: Readonly<Record<keyof FramingFields, string>> = {
  host: "host", connection: "connection", expect: "expect", transferEncoding: "transfer-encoding", contentLength: "content-length",
};

/** Comma-separated list members, lowercased, empty ones dropped (RFC 9110 §5.6.1). */
function listOf(values: readonly string[] | undefined): string[] {
  const members: string[] = [];
  if (values === undefined) return members;
  for (let i = 0; i < values.length; i++) {
    const parts = values[i]!.split(",");
    for (let j = 0; j < parts.length; j++) {
      const member = parts[j]!.trim().toLowerCase();
      if (member !== "") members.push(member);
    }
  }
  return members;
}

interface Framing {
  readonly body: BodyFraming;
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
  readonly host: string | undefined;
}

const NO_BODY: BodyFraming = { kind: "none" };
const CHUNKED: BodyFraming = { kind: "chunked" };

function framing(version: "1.0" | "1.1", fields: FramingFields, limits: HttpLimits): Framing {
  const hostCount = fields.host?.length ?? 0;
  if (version === "1.1" && hostCount !== 1) throw new HttpError(400, `Cannot serve an HTTP/1.1 request with ${hostCount} Host fields: exactly one is required (RFC 9112 §3.2)`);
  if (hostCount > 1) throw new HttpError(400, "Cannot serve a request with more than one Host field");

  const connection = listOf(fields.connection);
  const keepAlive = version === "1.1" ? !connection.includes("close") : connection.includes("keep-alive");

  const expect = listOf(fields.expect);
  for (let i = 0; i < expect.length; i++) {
    if (expect[i] !== "100-continue") throw new HttpError(417, `Cannot meet Expect: ${fields.expect!.join(", ")}: only 100-continue is supported`);
  }

  const transferCodings = listOf(fields.transferEncoding);
  const lengths = fields.contentLength;
  let body = NO_BODY;
  if (transferCodings.length > 0) {
    if (version === "1.0") throw new HttpError(400, "Cannot read an HTTP/1.0 request with Transfer-Encoding (RFC 9112 §6.1)");
    if (lengths !== undefined) throw new HttpError(400, "Cannot read a request with both Transfer-Encoding and Content-Length (RFC 9112 §6.3)");
    if (transferCodings.length !== 1 || transferCodings[0] !== "chunked") throw new HttpError(501, `Cannot decode Transfer-Encoding ${transferCodings.join(", ")}: only chunked is supported`);
    body = CHUNKED;
  } else if (lengths !== undefined) {
    const members = lengths.flatMap((value) => value.split(",")).map((member) => member.trim());
    if (!members.every((member) => /^\d+$/.test(member)) || new Set(members).size !== 1) throw new HttpError(400, `Cannot read Content-Length ${lengths.join(", ")}: not one decimal number`);
    const length = Number(members[0]);
    if (length > limits.bodyBytes) throw new HttpError(413, `Cannot accept a ${length}-byte body: the limit is ${limits.bodyBytes} bytes`);
    if (length > 0) body = { kind: "length", length };
  }
  return { body, keepAlive, expectContinue: expect.length > 0, host: fields.host?.[0] };
}

/** A head fragment fit for an error message: control characters escaped, cut at 80 characters. */
function printable(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return shown.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
