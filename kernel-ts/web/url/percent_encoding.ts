/**
 * percent_encoding: the URL Standard's percent-encode sets (§ 1.3) and UTF-8
 * percent-encoding and percent-decoding.
 *
 * A set is a predicate over a code point; code points above U+007E are in every set and
 * are written as their UTF-8 bytes, each "%XX" with upper-case hex digits.
 *
 * The path set is the one Node 20 (ada) implements, without U+005E (^), which later
 * editions of the standard added.
 */

import { encodeUtf8 } from "../../console/utf8.ts";

export type EncodeSet = (codePoint: number) => boolean;

export const c0ControlSet: EncodeSet = (c) => c < 0x20 || c > 0x7e;
export const fragmentSet: EncodeSet = (c) => c0ControlSet(c) || c === 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60;
export const querySet: EncodeSet = (c) => c0ControlSet(c) || c === 0x20 || c === 0x22 || c === 0x23 || c === 0x3c || c === 0x3e;
export const specialQuerySet: EncodeSet = (c) => querySet(c) || c === 0x27;
export const pathSet: EncodeSet = (c) => querySet(c) || c === 0x3f || c === 0x60 || c === 0x7b || c === 0x7d;
export const userinfoSet: EncodeSet = (c) =>
  pathSet(c) || c === 0x2f || c === 0x3a || c === 0x3b || c === 0x3d || c === 0x40 || (c >= 0x5b && c <= 0x5e) || c === 0x7c;
export const componentSet: EncodeSet = (c) => userinfoSet(c) || (c >= 0x24 && c <= 0x26) || c === 0x2b || c === 0x2c;
export const formUrlencodedSet: EncodeSet = (c) => componentSet(c) || c === 0x21 || (c >= 0x27 && c <= 0x29) || c === 0x7e;

const HEX = "0123456789ABCDEF";

export function percentEncodeByte(byte: number): string {
  return "%" + HEX[byte >> 4]! + HEX[byte & 15]!;
}

/** One-character strings for ASCII, so the common case allocates nothing (here and in the URL parser). */
export const ASCII_CHARS: readonly string[] = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

/** UTF-8 percent-encodes one code point if it is in `set`. */
export function percentEncodeCodePoint(codePoint: number, set: EncodeSet): string {
  if (!set(codePoint)) return codePoint < 0x80 ? ASCII_CHARS[codePoint]! : String.fromCodePoint(codePoint);
  if (codePoint < 0x80) return percentEncodeByte(codePoint);
  let out = "";
  for (const byte of encodeUtf8(String.fromCodePoint(codePoint))) out += percentEncodeByte(byte);
  return out;
}

/** UTF-8 percent-encodes every code point of `text` that is in `set`. */
export function percentEncodeString(text: string, set: EncodeSet): string {
  let needed = false;
  for (let i = 0; i < text.length && !needed; i++) needed = set(text.charCodeAt(i));
  if (!needed) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    out += set(code) ? percentEncodeCodePoint(code >= 0xd800 && code <= 0xdfff ? 0xfffd : code, set) : String.fromCodePoint(code);
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Percent-decodes bytes: "%XX" with two hex digits becomes the byte; anything else stays. */
export function percentDecodeBytes(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length);
  let written = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    if (byte === 0x25 && i + 2 < input.length) {
      const high = hexValue(input[i + 1]!);
      const low = hexValue(input[i + 2]!);
      if (high >= 0 && low >= 0) {
        out[written++] = high * 16 + low;
        i += 2;
        continue;
      }
    }
    out[written++] = byte;
  }
  return out.subarray(0, written);
}

/** Percent-decodes the UTF-8 encoding of `text`. */
export function percentDecodeString(text: string): Uint8Array {
  return percentDecodeBytes(encodeUtf8(text));
}
