/**
 * response_head: a response's status line and header section as bytes (RFC 9112 §4, §5),
 * ISO-8859-1, each line ending in CRLF and the section in an empty line. Reason phrases
 * are the RFC 9110 §15 ones (a client must ignore them, §4; they help a human reading a
 * capture). Field names and values were validated where they were set (Headers); a value
 * with CR or LF here is a kernel bug, so it asserts rather than risking response splitting.
 */

import { asciiEncode } from "../ascii.ts";
import { assert } from "../assert.ts";

const REASONS: Readonly<Record<number, string>> = {
  100: "Continue", 101: "Switching Protocols",
  200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content", 205: "Reset Content", 206: "Partial Content",
  300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
  407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
  413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
  421: "Misdirected Request", 422: "Unprocessable Content", 426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "";
}

/** "HTTP/1.1 200 OK\r\nName: value\r\n…\r\n" as bytes. */
export function responseHead(status: number, statusText: string, fields: ReadonlyArray<readonly [string, string]>): Uint8Array {
  let text = `HTTP/1.1 ${status} ${statusText === "" ? reasonPhrase(status) : statusText}\r\n`;
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i]![0];
    const value = fields[i]![1]; // indexes, not destructuring: an iterator walk in QuickJS
    if (name.includes("\n") || name.includes("\r") || value.includes("\n") || value.includes("\r")) assert(false, `response header ${JSON.stringify(name)} has CR or LF`);
    text += `${name}: ${value}\r\n`;
  }
  text += "\r\n";
  const ascii = asciiEncode(text); // the platform's native copy; Latin-1 values take the loop
  if (ascii !== undefined) return ascii;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** The last second httpDate formatted (a busy server asks many times a second). */
let lastSecond = NaN;
let lastDate = "";

/** The IMF-fixdate for Date (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT". */
export function httpDate(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== lastSecond) {
    lastDate = formatHttpDate(epochMs);
    lastSecond = second;
  }
  return lastDate;
}

function formatHttpDate(epochMs: number): string {
  const date = new Date(epochMs);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${days[date.getUTCDay()]}, ${two(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} GMT`;
}
