/**
 * utf8: encodes a JS string (UTF-16 code units) as UTF-8 bytes, because QuickJS has no
 * TextEncoder and the console speaks bytes.
 *
 * decodeUtf8 goes back, for tests and captured consoles (QuickJS has no TextDecoder either).
 *
 * Invariants: the output is always well-formed UTF-8 (RFC 3629). A surrogate pair becomes
 * one 4-byte sequence; a lone surrogate (high without a following low, or a low on its own)
 * becomes U+FFFD (EF BF BD), as the WHATWG Encoding Standard's UTF-8 encoder does.
 */

import { asciiEncode } from "../ascii.ts";

const REPLACEMENT = 0xfffd;

/** Returns the UTF-8 encoding of `text`; never throws for any string. */
export function encodeUtf8(text: string): Uint8Array {
  const ascii = asciiEncode(text); // the platform's native scan, for the common all-ASCII text
  if (ascii !== undefined) return ascii;
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

/**
 * Decodes UTF-8 bytes; each maximal ill-formed subsequence (truncated, overlong, surrogate
 * or out-of-range sequence) becomes one U+FFFD, as the WHATWG decoder does. Never throws.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  const units: number[] = [];
  let text = "";
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    let need = 0;
    let code = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (lead < 0x80) { units.push(lead); i++; flushIfLong(); continue; }
    if (lead >= 0xc2 && lead <= 0xdf) { need = 1; code = lead & 0x1f; }
    else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2; code = lead & 0x0f;
      if (lead === 0xe0) lower = 0xa0; // no overlong 3-byte forms
      if (lead === 0xed) upper = 0x9f; // no surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3; code = lead & 0x07;
      if (lead === 0xf0) lower = 0x90; // no overlong 4-byte forms
      if (lead === 0xf4) upper = 0x8f; // nothing above U+10FFFF
    } else { units.push(REPLACEMENT); i++; flushIfLong(); continue; }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const byte = bytes[j];
      if (byte === undefined || byte < (k === 0 ? lower : 0x80) || byte > (k === 0 ? upper : 0xbf)) { ok = false; break; }
      code = (code << 6) | (byte & 0x3f);
    }
    if (!ok) { units.push(REPLACEMENT); i = j; flushIfLong(); continue; }
    if (code >= 0x10000) {
      code -= 0x10000;
      units.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
    } else {
      units.push(code);
    }
    i = j;
    flushIfLong();
  }
  return text + String.fromCharCode(...units);

  function flushIfLong(): void {
    if (units.length < 4096) return;
    text += String.fromCharCode(...units);
    units.length = 0;
  }
}
