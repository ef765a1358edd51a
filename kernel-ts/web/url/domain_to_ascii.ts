/**
 * domain_to_ascii: the URL Standard's "domain to ASCII" (§ 3.5) with a reduced UTS #46.
 *
 * What is done: all-ASCII domains are lower-cased (the common case, exact); otherwise the
 * domain is mapped by lower-casing and NFKC normalization (String.prototype.normalize),
 * the ideographic and full-width full stops become ".", the code points UTS #46 maps to
 * nothing (soft hyphen, zero-width space, variation selectors, …) are dropped, and each
 * label with non-ASCII code points becomes "xn--" + Punycode (RFC 3492). Labels that
 * already start with "xn--" must decode as Punycode. Forbidden domain code points fail.
 *
 * What is not: UTS #46's own mapping and validity tables (IdnaMappingTable.txt), its
 * CheckBidi and CheckJoiners rules, and the DNS length check. NFKC plus lower-casing
 * agrees with the table for the usual letters, digits and full-width forms, but a few
 * code points that UTS #46 disallows or maps differently pass through here.
 */

import { punycodeDecode, punycodeEncode } from "./punycode.ts";

/** U+0000–U+001F, space, # % / : < > ? @ [ \ ] ^ | and DEL (§ 3.2 "forbidden domain code point"). */
export function isForbiddenDomainCodePoint(code: number): boolean {
  return isForbiddenHostCodePoint(code) || code <= 0x1f || code === 0x25 || code === 0x7f;
}

/** § 3.2 "forbidden host code point". */
export function isForbiddenHostCodePoint(code: number): boolean {
  switch (code) {
    case 0x00: case 0x09: case 0x0a: case 0x0d: case 0x20: case 0x23: case 0x2f: case 0x3a:
    case 0x3c: case 0x3e: case 0x3f: case 0x40: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x7c:
      return true;
    default:
      return false;
  }
}

/** Code points UTS #46 maps to nothing ("ignored"). */
const IGNORED = /[\u00ad\u034f\u180b-\u180d\u200b\u2060\ufe00-\ufe0f\ufeff]/gu;
/** Full stops UTS #46 maps to U+002E. */
const FULL_STOPS = /[\u3002\uff0e\uff61]/gu;

function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

/** The ASCII form of `domain`, or null when it cannot be one. */
export function domainToAscii(domain: string): string | null {
  let result: string;
  if (isAscii(domain) && !/(^|\.)xn--/i.test(domain)) {
    result = domain.toLowerCase();
  } else {
    const mapped = domain.replace(IGNORED, "").toLowerCase().normalize("NFKC").toLowerCase().replace(FULL_STOPS, ".");
    const labels: string[] = [];
    for (const label of mapped.split(".")) {
      if (label.startsWith("xn--")) {
        const decoded = punycodeDecode(label.slice(4));
        if (decoded === null || decoded === "" || isAscii(decoded)) return null;
        labels.push(label);
      } else if (isAscii(label)) {
        labels.push(label);
      } else {
        const encoded = punycodeEncode(label);
        if (encoded === null) return null;
        labels.push("xn--" + encoded);
      }
    }
    result = labels.join(".");
  }
  if (result === "") return null;
  for (let i = 0; i < result.length; i++) {
    if (isForbiddenDomainCodePoint(result.charCodeAt(i))) return null;
  }
  return result;
}
