/**
 * c_numbers: the number parsing memcached 1.6 does with the C library, reproduced so that
 * what it accepts, refuses and truncates matches byte for byte. memcached's util.c:
 *
 *   safe_strtoull  64-bit unsigned: the incr/decr delta, the cas unique, and the stored
 *                  value incr/decr reads
 *   safe_strtoul   unsigned long (64-bit on x86_64), then kept in 32 bits: flags, verbosity
 *   safe_strtol    long (64-bit), then kept in an int32_t: exptime, the data length
 *
 * Each is C's strtoull/strtol (C11 §7.22.1.4: leading white space, an optional sign,
 * decimal digits, out of range is ERANGE) followed by memcached's checks: at least one
 * digit, followed by white space or the end of the string, and for the unsigned ones no '-'
 * on a result that would read negative as a signed number ("-1" is refused, "-0" is 0).
 * The truncations are memcached's own: flags 4294967296 is stored as 0, exptime 2147483648
 * becomes a negative (already expired) time.
 */

import { encodeLatin1 } from "./latin1.ts";

const TWO_POW_64 = 1n << 64n;
const TWO_POW_63 = 1n << 63n;
/** More significant digits than 2^64 has (20) is out of range whatever they are. */
const MAX_SIGNIFICANT_DIGITS = 20;
/** Digits that always make an integer below 2^53, exact as a double. */
const SAFE_DIGITS = 15;

interface Scanned {
  readonly negative: boolean;
  readonly magnitude: bigint;
}

/** C's isspace in the "C" locale. */
function isSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/**
 * strtoull/strtol's scan with memcached's shape checks; undefined when memcached refuses
 * it (no digits, something other than white space or NUL after them, or more digits than
 * any 64-bit value has). The bytes end where the C string would: at the array's end.
 */
function scanDecimal(bytes: Uint8Array): Scanned | undefined {
  let at = 0;
  while (at < bytes.length && isSpace(bytes[at]!)) at++;
  let negative = false;
  if (bytes[at] === 0x2b || bytes[at] === 0x2d) {
    negative = bytes[at] === 0x2d;
    at++;
  }
  const start = at;
  while (at < bytes.length && bytes[at] === 0x30) at++;
  const significant = at;
  while (at < bytes.length && isDigit(bytes[at]!)) at++;
  if (at === start) return undefined;
  if (at < bytes.length && !isSpace(bytes[at]!) && bytes[at] !== 0) return undefined;
  if (at - significant > MAX_SIGNIFICANT_DIGITS) return undefined;
  if (at - significant <= SAFE_DIGITS) {
    // Exact in a double: no string, no BigInt parse (flags, exptime and lengths all fit).
    let value = 0;
    for (let i = significant; i < at; i++) value = value * 10 + (bytes[i]! - 0x30);
    return { negative, magnitude: BigInt(value) };
  }
  let digits = "";
  for (let i = significant; i < at; i++) digits += String.fromCharCode(bytes[i]!);
  return { negative, magnitude: BigInt(digits) };
}

/** safe_strtoull: a 64-bit unsigned value, or undefined. */
export function parseUnsigned64(bytes: Uint8Array): bigint | undefined {
  const scanned = scanDecimal(bytes);
  if (scanned === undefined || scanned.magnitude >= TWO_POW_64) return undefined;
  const value = scanned.negative ? (TWO_POW_64 - scanned.magnitude) % TWO_POW_64 : scanned.magnitude;
  if (scanned.negative && value >= TWO_POW_63) return undefined;
  return value;
}

/** safe_strtoul kept in 32 bits (memcached's flags and verbosity level), or undefined. */
export function parseUnsigned32(bytes: Uint8Array): number | undefined {
  const value = parseUnsigned64(bytes);
  return value === undefined ? undefined : Number(value & 0xffffffffn);
}

/** safe_strtol kept in an int32_t (memcached's exptime and data length), or undefined. */
export function parseSigned32(bytes: Uint8Array): number | undefined {
  const scanned = scanDecimal(bytes);
  if (scanned === undefined) return undefined;
  if (scanned.negative ? scanned.magnitude > TWO_POW_63 : scanned.magnitude >= TWO_POW_63) return undefined;
  const value = scanned.negative ? -scanned.magnitude : scanned.magnitude;
  return Number(BigInt.asIntN(32, value));
}

/**
 * A command word of 1 to 9 decimal digits — what flags, exptime and data lengths almost
 * always are — as its value; undefined for any other word. Such a value is below 2^31, and
 * every parser here gives that same number for it: the word-level parsers below answer it
 * without the bytes, the scan and the BigInt.
 */
function plainDecimal(word: string): number | undefined {
  const length = word.length;
  if (length === 0 || length > 9) return undefined;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = word.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/** parseUnsigned32 of a command word (Latin-1 text, as the request parser splits lines). */
export function wordUnsigned32(word: string): number | undefined {
  return plainDecimal(word) ?? parseUnsigned32(encodeLatin1(word));
}

/** parseSigned32 of a command word. */
export function wordSigned32(word: string): number | undefined {
  return plainDecimal(word) ?? parseSigned32(encodeLatin1(word));
}
