/**
 * urlencoded: the URL Standard's application/x-www-form-urlencoded parser and serializer
 * (§ 5.1, § 5.2): "&"-separated name=value pairs, "+" for space, UTF-8 percent-encoding.
 */

import { encodeUtf8 } from "../../console/utf8.ts";
import { utf8DecodeWithoutBom } from "../encoding/text_decoder.ts";
import { percentDecodeBytes } from "./percent_encoding.ts";

export type NameValueList = Array<[string, string]>;

function decodeComponent(bytes: Uint8Array): string {
  const spaced = bytes.map((byte) => (byte === 0x2b ? 0x20 : byte));
  return utf8DecodeWithoutBom(percentDecodeBytes(spaced));
}

/** § 5.1: the name-value pairs in `input` (bytes). */
export function parseUrlencoded(input: Uint8Array): NameValueList {
  const out: NameValueList = [];
  let start = 0;
  while (start <= input.length) {
    let end = input.indexOf(0x26, start);
    if (end < 0) end = input.length;
    if (end > start) {
      const sequence = input.subarray(start, end);
      const equals = sequence.indexOf(0x3d);
      const name = equals < 0 ? sequence : sequence.subarray(0, equals);
      const value = equals < 0 ? new Uint8Array(0) : sequence.subarray(equals + 1);
      out.push([decodeComponent(name), decodeComponent(value)]);
    }
    start = end + 1;
  }
  return out;
}

/** § 5.1 over a string, as URLSearchParams does with its init and a URL's query. */
export function parseUrlencodedString(input: string): NameValueList {
  return parseUrlencoded(encodeUtf8(input));
}

const HEX = "0123456789ABCDEF";

/** The urlencoded byte serializer over the UTF-8 of `text` (§ 5.2). */
function serializeComponent(text: string): string {
  let out = "";
  for (const byte of encodeUtf8(text)) {
    if (byte === 0x20) out += "+";
    else if (
      byte === 0x2a || byte === 0x2d || byte === 0x2e || byte === 0x5f ||
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
    ) out += String.fromCharCode(byte);
    else out += "%" + HEX[byte >> 4]! + HEX[byte & 15]!;
  }
  return out;
}

/** § 5.2: name=value pairs joined with "&". */
export function serializeUrlencoded(list: Iterable<readonly [string, string]>): string {
  const parts: string[] = [];
  for (const [name, value] of list) parts.push(serializeComponent(name) + "=" + serializeComponent(value));
  return parts.join("&");
}
