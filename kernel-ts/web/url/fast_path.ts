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

import { defaultPort, type UrlRecord } from "./url_record.ts";

// scheme, host, port, path, query, fragment
const SIMPLE_URL = /^(https?|wss?|ftp):\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*\.?)(?::([0-9]{1,5}))?(\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*)?(?:\?([A-Za-z0-9\-._~!$&()*+,;=:@%/?]*))?(?:#([A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*))?$/;
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
/** A label the IPv4 "ends in a number" check would call a number (ipv4.ts). */
const NUMERIC_LABEL = /^(?:[0-9]+|0x[0-9a-f]*)$/;

/** The record of `input` when it has the simple form above; undefined to use the full parser. */
export function parseSimpleUrl(input: string): UrlRecord | undefined {
  const match = SIMPLE_URL.exec(input);
  if (match === null) return undefined;
  const [, scheme, host, portText, pathText, query, fragment] = match as unknown as [string, string, string, string | undefined, string | undefined, string | undefined, string | undefined];
  if (!simpleHost(host)) return undefined;
  let port: number | null = null;
  if (portText !== undefined) {
    const value = Number(portText);
    if (value > 65535) return undefined;
    port = value === defaultPort(scheme) ? null : value;
  }
  const path = pathText === undefined ? [""] : pathText.slice(1).split("/");
  for (const segment of path) {
    if (segment === "." || segment === ".." || /%2e/i.test(segment)) return undefined;
  }
  return { scheme, username: "", password: "", host, port, path, query: query ?? null, fragment: fragment ?? null };
}

function simpleHost(host: string): boolean {
  const labels = host.split(".");
  if (labels[labels.length - 1] === "") labels.pop();
  const last = labels[labels.length - 1]!;
  if (NUMERIC_LABEL.test(last)) return DOTTED_QUAD.test(host);
  return !labels.some((label) => label.startsWith("xn--"));
}
