/**
 * host: the URL Standard's host parser (§ 3.5), returning the host already serialized
 * (§ 3.6): a domain, an IPv4 address in dotted decimal, an IPv6 address in brackets, or
 * an opaque host (non-special schemes) percent-encoded with the C0 control set.
 */

import { utf8DecodeWithoutBom } from "../encoding/text_decoder.ts";
import { domainToAscii, isForbiddenHostCodePoint } from "./domain_to_ascii.ts";
import { endsInANumber, parseIpv4, serializeIpv4 } from "./ipv4.ts";
import { parseIpv6, serializeIpv6 } from "./ipv6.ts";
import { c0ControlSet, percentDecodeString, percentEncodeString } from "./percent_encoding.ts";

/** The serialized host, or null on failure. `isOpaque` is true for non-special schemes. */
export function parseHost(input: string, isOpaque: boolean): string | null {
  if (input.startsWith("[")) {
    if (!input.endsWith("]")) return null;
    const address = parseIpv6(input.slice(1, -1));
    return address === null ? null : `[${serializeIpv6(address)}]`;
  }
  if (isOpaque) return parseOpaqueHost(input);
  // Without "%" or non-ASCII, percent-decoding and UTF-8 decoding give the input back.
  const domain = /^[\x00-\x24\x26-\x7f]*$/.test(input) ? input : utf8DecodeWithoutBom(percentDecodeString(input));
  const asciiDomain = domainToAscii(domain);
  if (asciiDomain === null) return null;
  if (endsInANumber(asciiDomain)) {
    const address = parseIpv4(asciiDomain);
    return address === null ? null : serializeIpv4(address);
  }
  return asciiDomain;
}

function parseOpaqueHost(input: string): string | null {
  for (let i = 0; i < input.length; i++) {
    if (isForbiddenHostCodePoint(input.charCodeAt(i))) return null;
  }
  return percentEncodeString(input, c0ControlSet);
}
