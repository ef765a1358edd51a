/**
 * base64: atob and btoa from the HTML Standard (§ 8.3 "Base64 utility methods").
 *
 * atob runs the Infra Standard's forgiving-base64 decode: ASCII whitespace is dropped,
 * one or two trailing "=" are allowed only where they complete a group, a length of
 * 4n+1 or any other character fails, and the bits left over at the end are discarded.
 * The result is a "binary string" (one code unit per byte). btoa takes such a string and
 * fails on any code unit above 0xFF. Both fail with an "InvalidCharacterError" DOMException.
 */

import { domException } from "../dom_exception.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUES = new Int8Array(128).fill(-1);
const ALPHABET_CODES = new Uint8Array(64);
for (let i = 0; i < ALPHABET.length; i++) {
  VALUES[ALPHABET.charCodeAt(i)] = i;
  ALPHABET_CODES[i] = ALPHABET.charCodeAt(i);
}

function isAsciiWhitespace(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0x20;
}

/** Turns code units into a string a chunk at a time (apply's argument count is bounded). */
function fromCodeUnits(units: Uint8Array | Uint16Array, length: number): string {
  let out = "";
  for (let at = 0; at < length; at += 8192) {
    out += String.fromCharCode.apply(null, Array.from(units.subarray(at, Math.min(length, at + 8192))));
  }
  return out;
}

export function atob(data: string): string {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present.");
  const input = String(data);
  const codes = new Uint16Array(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (!isAsciiWhitespace(code)) codes[length++] = code;
  }
  const EQUALS = 0x3d;
  if (length % 4 === 0 && length > 0 && codes[length - 1] === EQUALS) {
    length--;
    if (codes[length - 1] === EQUALS) length--;
  }
  if (length % 4 === 1) throw domException("InvalidCharacterError", "The string to be decoded is not correctly encoded.");
  const bytes = new Uint8Array(Math.floor((length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let i = 0; i < length; i++) {
    const code = codes[i]!;
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) throw domException("InvalidCharacterError", "The string to be decoded is not correctly encoded.");
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[written++] = (buffer >> bits) & 0xff;
    }
  }
  return fromCodeUnits(bytes, written);
}

export function btoa(data: string): string {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present.");
  const input = String(data);
  const out = new Uint8Array(Math.ceil(input.length / 3) * 4);
  let written = 0;
  for (let i = 0; i < input.length; i += 3) {
    const a = input.charCodeAt(i);
    const b = i + 1 < input.length ? input.charCodeAt(i + 1) : 0;
    const c = i + 2 < input.length ? input.charCodeAt(i + 2) : 0;
    if (a > 0xff || b > 0xff || c > 0xff) {
      throw domException("InvalidCharacterError", "The string to be encoded contains characters outside of the Latin1 range.");
    }
    const group = (a << 16) | (b << 8) | c;
    out[written++] = ALPHABET_CODES[(group >> 18) & 63]!;
    out[written++] = ALPHABET_CODES[(group >> 12) & 63]!;
    out[written++] = i + 1 < input.length ? ALPHABET_CODES[(group >> 6) & 63]! : 0x3d;
    out[written++] = i + 2 < input.length ? ALPHABET_CODES[group & 63]! : 0x3d;
  }
  return fromCodeUnits(out, written);
}
