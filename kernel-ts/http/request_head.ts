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
  const versionMatch = VERSION.exec(versionText);
  if (versionMatch === null) throw new HttpError(400, `Cannot read request: "${printable(versionText)}" is not an HTTP version`);
  if (versionMatch[1] !== "1") throw new HttpError(505, `Cannot serve HTTP/${versionMatch[1]}.${versionMatch[2]}: this server speaks HTTP/1.1`);
  const version = versionMatch[2] === "0" ? "1.0" : "1.1"; // §2.3: a higher minor version is answered as 1.1

  const fieldLines = all.slice(1);
  if (fieldLines.length > limits.headerCount) throw new HttpError(431, `Cannot read request: more than ${limits.headerCount} header fields`);
  const headers: Array<readonly [string, string]> = [];
  for (let i = 0; i < fieldLines.length; i++) {
    const line = fieldLines[i]!;
    if (line.startsWith(" ") || line.startsWith("\t")) throw new HttpError(400, "Cannot read request: obsolete line folding in the header section"); // §5.2
    const colon = line.indexOf(":");
    if (colon <= 0) throw new HttpError(400, `Cannot read header line "${printable(line)}": no field name before ":"`);
    const name = line.slice(0, colon);
    if (!isToken(name)) throw new HttpError(400, `Cannot read header "${printable(name)}": the field name is not a token (whitespace before ":" is not allowed, §5.1)`);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!FIELD_VALUE.test(value)) throw new HttpError(400, `Cannot read header ${name}: the value has control characters`);
    headers.push([name, value]);
  }
  return { method, target, version, headers, ...framing(version, headers, limits) };
}

/** The fields that decide framing, by lowercase name, in one pass over the head (not one per name). */
const FRAMING_FIELDS: ReadonlySet<string> = new Set(["host", "connection", "expect", "transfer-encoding", "content-length"]);

function framingFields(headers: ReadonlyArray<readonly [string, string]>): (name: string) => string[] {
  const found = new Map<string, string[]>();
  for (let i = 0; i < headers.length; i++) {
    const [field, value] = headers[i]!;
    const name = field.toLowerCase();
    if (!FRAMING_FIELDS.has(name)) continue;
    const values = found.get(name);
    if (values === undefined) found.set(name, [value]);
    else values.push(value);
  }
  return (name) => found.get(name) ?? [];
}

/** Comma-separated list members, lowercased, empty ones dropped (RFC 9110 §5.6.1). */
function listOf(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(",")).map((member) => member.trim().toLowerCase()).filter((member) => member !== "");
}

function framing(version: "1.0" | "1.1", headers: ReadonlyArray<readonly [string, string]>, limits: HttpLimits): Omit<RequestHead, "method" | "target" | "version" | "headers"> {
  const valuesOf = framingFields(headers);
  const hosts = valuesOf("host");
  if (version === "1.1" && hosts.length !== 1) throw new HttpError(400, `Cannot serve an HTTP/1.1 request with ${hosts.length} Host fields: exactly one is required (RFC 9112 §3.2)`);
  if (hosts.length > 1) throw new HttpError(400, "Cannot serve a request with more than one Host field");

  const connection = listOf(valuesOf("connection"));
  const keepAlive = version === "1.1" ? !connection.includes("close") : connection.includes("keep-alive");

  const expect = listOf(valuesOf("expect"));
  if (expect.some((member) => member !== "100-continue")) throw new HttpError(417, `Cannot meet Expect: ${valuesOf("expect").join(", ")}: only 100-continue is supported`);

  const transferCodings = listOf(valuesOf("transfer-encoding"));
  const lengths = valuesOf("content-length");
  let body: BodyFraming = { kind: "none" };
  if (transferCodings.length > 0) {
    if (version === "1.0") throw new HttpError(400, "Cannot read an HTTP/1.0 request with Transfer-Encoding (RFC 9112 §6.1)");
    if (lengths.length > 0) throw new HttpError(400, "Cannot read a request with both Transfer-Encoding and Content-Length (RFC 9112 §6.3)");
    if (transferCodings.length !== 1 || transferCodings[0] !== "chunked") throw new HttpError(501, `Cannot decode Transfer-Encoding ${transferCodings.join(", ")}: only chunked is supported`);
    body = { kind: "chunked" };
  } else if (lengths.length > 0) {
    const members = lengths.flatMap((value) => value.split(",")).map((member) => member.trim());
    if (!members.every((member) => /^\d+$/.test(member)) || new Set(members).size !== 1) throw new HttpError(400, `Cannot read Content-Length ${lengths.join(", ")}: not one decimal number`);
    const length = Number(members[0]);
    if (length > limits.bodyBytes) throw new HttpError(413, `Cannot accept a ${length}-byte body: the limit is ${limits.bodyBytes} bytes`);
    if (length > 0) body = { kind: "length", length };
  }
  return { body, keepAlive, expectContinue: expect.length > 0, host: hosts[0] };
}

/** A head fragment fit for an error message: control characters escaped, cut at 80 characters. */
function printable(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return shown.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
