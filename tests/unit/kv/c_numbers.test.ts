/**
 * c_numbers: memcached's safe_strtoull / safe_strtoul / safe_strtol, with what C's
 * strtoull and strtol accept, what memcached then refuses, and its truncations.
 */
import test from "ava";
import { parseSigned32, parseUnsigned32, parseUnsigned64, wordSigned32, wordUnsigned32 } from "../../../apps/kv/c_numbers.ts";
import { latin1 } from "./helpers/kv_session.ts";

const u64 = (text: string): bigint | undefined => parseUnsigned64(latin1(text));
const u32 = (text: string): number | undefined => parseUnsigned32(latin1(text));
const i32 = (text: string): number | undefined => parseSigned32(latin1(text));

test("strtoull's shapes: leading white space, a sign, digits, then white space, NUL or the end", (t) => {
  t.is(u64("0"), 0n);
  t.is(u64("42"), 42n);
  t.is(u64(" \t\n\v\f\r42"), 42n);
  t.is(u64("+42"), 42n);
  t.is(u64("42 "), 42n);
  t.is(u64("42\r\n"), 42n);
  t.is(u64("4 2"), 4n, "the number ends at the space");
  t.is(u64("42\u0000junk"), 42n, "a C string ends at NUL");
  t.is(u64(`${"0".repeat(1000)}7`), 7n, "leading zeros are not significant digits");
});

test("refused: no digits, trailing garbage, out of range", (t) => {
  for (const text of ["", " ", "+", "-", "x", "42x", "4.2", "0x10", "1e3", "18446744073709551616", "99999999999999999999999"]) {
    t.is(u64(text), undefined, JSON.stringify(text));
  }
});

test("a '-' is refused only when the result reads negative as signed (memcached's rule)", (t) => {
  t.is(u64("18446744073709551615"), 2n ** 64n - 1n);
  t.is(u64("-0"), 0n);
  t.is(u64("-1"), undefined, "2^64-1 with a '-'");
  t.is(u64("-9223372036854775808"), undefined, "2^63 with a '-'");
  t.is(u64("-18446744073709551615"), 1n, "strtoull negates modulo 2^64: 1, which reads positive");
});

test("flags and verbosity: an unsigned long kept in 32 bits", (t) => {
  t.is(u32("4294967295"), 4294967295);
  t.is(u32("4294967296"), 0);
  t.is(u32("4294967297"), 1);
  t.is(u32("-1"), undefined);
  t.is(u32("x"), undefined);
});

test("exptime and lengths: a long kept in an int32_t", (t) => {
  t.is(i32("-1"), -1);
  t.is(i32("2147483647"), 2147483647);
  t.is(i32("2147483648"), -2147483648);
  t.is(i32("4294967296"), 0);
  t.is(i32("4294967297"), 1);
  t.is(i32("-2147483649"), 2147483647);
  t.is(i32("9223372036854775807"), -1, "LONG_MAX's low 32 bits");
  t.is(i32("9223372036854775808"), undefined, "past LONG_MAX: ERANGE");
  t.is(i32("-9223372036854775808"), 0, "LONG_MIN's low 32 bits");
  t.is(i32("-9223372036854775809"), undefined, "past LONG_MIN: ERANGE");
  t.is(i32(" 5 "), 5);
  t.is(i32("5x"), undefined);
});

test("the word-level parsers answer what the byte parsers answer, plain decimals included", (t) => {
  const words = ["0", "7", "00000", "123456789", "999999999", "1234567890", "4294967295", "4294967296", "2147483647", "2147483648",
    "-1", "-0", "+5", "12a", "a12", "", "٣", "0x10", "1e3", "000000000012", "99999999999999999999999", "\u00a012"];
  for (let n = 0; n < 2000; n++) words.push(String(Math.floor(Math.random() * 10 ** (1 + (n % 12)))));
  for (const word of words) {
    t.is(wordUnsigned32(word), u32(word), `unsigned ${JSON.stringify(word)}`);
    t.is(wordSigned32(word), i32(word), `signed ${JSON.stringify(word)}`);
  }
});
