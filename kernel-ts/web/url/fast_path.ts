/**
 * fast_path: the URLs a server makes for every request — "http://10.0.0.2:8080/items?id=7",
 * "https://example.com/" — parsed without running the state machine code point by code
 * point (url_parser.ts), which costs a request more than the rest of its Request object.
 *
 * Only a form whose result needs none of the parser's rewriting is taken: a lowercase
 * special scheme with an authority, a host of lowercase ASCII letters, digits, "-" and "."
 * that is either a domain (no "xn--" label, whose Punycode would need checking, and not
 * ending in a number) or a dotted quad in plain decimal, an optional port in digits, and a
 * path, query and fragment of characters that are never percent-encoded, with no "." or
 * ".." segment and no "%2e" that could spell one. Anything else — uppercase, userinfo,
 * backslashes, spaces, tabs, non-ASCII, IPv6, numeric hosts in other forms — returns
 * undefined and goes through the full parser. tests/unit/web/url_fast_path.test.ts checks
 * that both give the same record for every input the fast path takes.
 */

import { cloneUrlRecord, defaultPort, serializeUrl, type UrlRecord } from "./url_record.ts";

// scheme, host, port, path, query, fragment
const SIMPLE_URL = /^(https?|wss?|ftp):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*\.?)(?::([0-9]{1,5}))?(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*)?(?:\?([A-Za-z0-9\-._~!$&()*+,;=:@%/?]*))?(?:#([A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*))?$/;
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** A "." or ".." path segment, or a "%2e" that could spell one. */
const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)|%2e/i;
/** A host whose last label the IPv4 "ends in a number" check would call a number (ipv4.ts). */
const NUMERIC_LAST_LABEL = /(?:^|\.)(?:[0-9]+|0x[0-9a-f]*)\.?$/;
/** A Punycode label, whose decoding the full parser must check. */
const PUNYCODE_LABEL = /(?:^|\.)xn--/;

// Indexes and single regex scans rather than destructuring, split-and-loop or for-of: each
// of those is a walk through iterator calls in QuickJS, and this runs for every request.

/** Recently parsed simple URLs (a server sees the same few again and again), by input. */
const recent = new Map<string, UrlRecord>();
const RECENT_LIMIT = 128;
const RECENT_MAX_LENGTH = 256;

/** Keeps `value` for `input` in one of the caches here: at most RECENT_LIMIT short inputs, all dropped when full. */
function remember<T>(cache: Map<string, T>, input: string, value: T): void {
  if (input.length > RECENT_MAX_LENGTH) return;
  if (cache.size >= RECENT_LIMIT) cache.clear();
  cache.set(input, value);
}

/** The record of `input` when it has the simple form above; undefined to use the full parser. */
export function parseSimpleUrl(input: string): UrlRecord | undefined {
  const known = recent.get(input);
  if (known !== undefined) return cloneUrlRecord(known); // records are mutable (the URL setters): a copy each time
  const parsed = parseSimpleUncached(input);
  if (parsed !== undefined) remember(recent, input, cloneUrlRecord(parsed));
  return parsed;
}

/** Recently serialized simple URLs, by input: a string needs no copy. */
const recentHrefs = new Map<string, string>();

/**
 * The serialization (href) of `input` when it has the simple form above; undefined to use
 * the full parser. What a Request keeps of its URL, without a record to copy or serialize.
 */
export function simpleUrlHref(input: string): string | undefined {
  const known = recentHrefs.get(input);
  if (known !== undefined) return known;
  const parsed = parseSimpleUncached(input);
  if (parsed === undefined) return undefined;
  const href = serializeUrl(parsed);
  remember(recentHrefs, input, href);
  return href;
}

function parseSimpleUncached(input: string): UrlRecord | undefined {
  const match = SIMPLE_URL.exec(input);
  if (match === null) return undefined;
  const scheme = match[1]!;
  const host = match[2]!;
  if (NUMERIC_LAST_LABEL.test(host) ? !DOTTED_QUAD.test(host) : PUNYCODE_LABEL.test(host)) return undefined;
  let port: number | null = null;
  if (match[3] !== undefined) {
    const value = Number(match[3]);
    if (value > 65535) return undefined;
    port = value === defaultPort(scheme) ? null : value;
  }
  const pathText = match[4];
  if (pathText !== undefined && DOT_SEGMENT.test(pathText)) return undefined;
  return {
    scheme, username: "", password: "", host, port,
    path: pathText === undefined ? [""] : pathText.slice(1).split("/"),
    query: match[5] ?? null,
    fragment: match[6] ?? null,
  };
}
