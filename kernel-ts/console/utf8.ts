/**
 * utf8: encodes a JS string (UTF-16 code units) as UTF-8 bytes, because QuickJS has no
 * TextEncoder and the console speaks bytes.
 *
 * Invariants: the output is always well-formed UTF-8 (RFC 3629). A surrogate pair becomes
 * one 4-byte sequence; a lone surrogate (high without a following low, or a low on its own)
 * becomes U+FFFD (EF BF BD), as the WHATWG Encoding Standard's UTF-8 encoder does.
 */

const REPLACEMENT = 0xfffd;

/** Returns the UTF-8 encoding of `text`; never throws for any string. */
export function encodeUtf8(text: string): Uint8Array {
  // Each UTF-16 code unit yields at most 3 bytes (a pair: 2 units → 4 bytes).
  const out = new Uint8Array(text.length * 3);
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        code = REPLACEMENT;
      }
    }
    if (code < 0x80) {
      out[at++] = code;
    } else if (code < 0x800) {
      out[at++] = 0xc0 | (code >> 6);
      out[at++] = 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      out[at++] = 0xe0 | (code >> 12);
      out[at++] = 0x80 | ((code >> 6) & 0x3f);
      out[at++] = 0x80 | (code & 0x3f);
    } else {
      out[at++] = 0xf0 | (code >> 18);
      out[at++] = 0x80 | ((code >> 12) & 0x3f);
      out[at++] = 0x80 | ((code >> 6) & 0x3f);
      out[at++] = 0x80 | (code & 0x3f);
    }
  }
  return out.subarray(0, at);
}
