// atob / btoa against Node's own on a corpus including the forgiving-base64 edge cases.
import test from "ava";
import { atob, btoa, DOMException } from "../../../kernel-ts/web/mod.ts";

const nodeAtob = globalThis.atob;
const nodeBtoa = globalThis.btoa;

const DECODE_INPUTS = [
  "", "YQ==", "YQ", "YQ=", "YWI=", "YWI", "YWJj", "YW Jj", " Y W J j ", "YWJj\n\t\f\r ", "YQ===", "Y===", "Y", "YQ=a", "=YQ",
  "YWJjZA==", "YWJjZA", "YWJjZA=", "ab=c", "ab==c", "////", "+/+/", "AAAA", "AA==", "AB==", "-_-_", "YQ\u00a0", "YQ\u2028",
  "abc\u0100", "aGVsbG8gd29ybGQ=", "aGVsbG8gd29ybGQ", "a", "ab", "abc", "abcd", "abcde", "ab\ncd", "=", "==", "===", "====",
];

const ENCODE_INPUTS = ["", "a", "ab", "abc", "abcd", "hello world", "\u0000\u00ff\u0080", "\u00e9t\u00e9", String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))];

function outcome(run: () => string): string {
  try {
    return `ok:${run()}`;
  } catch (error) {
    return `throws:${(error as { name: string }).name}`;
  }
}

test("atob agrees with Node, errors included", (t) => {
  for (const input of DECODE_INPUTS) t.is(outcome(() => atob(input)), outcome(() => nodeAtob(input)), JSON.stringify(input));
});

test("btoa agrees with Node and round-trips", (t) => {
  for (const input of ENCODE_INPUTS) {
    t.is(btoa(input), nodeBtoa(input));
    t.is(atob(btoa(input)), input);
  }
});

test("the errors are InvalidCharacterError DOMExceptions with code 5", (t) => {
  const error = t.throws(() => btoa("€"), { instanceOf: DOMException });
  t.is(error?.name, "InvalidCharacterError");
  t.is(error?.code, 5);
  t.throws(() => atob("*"), { instanceOf: DOMException, name: "InvalidCharacterError" });
});
