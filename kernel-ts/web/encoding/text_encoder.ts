/**
 * text_encoder: TextEncoder from the Encoding Standard (always UTF-8). Lone surrogates
 * are encoded as U+FFFD, as converting the input to a USVString requires.
 *
 * encodeInto writes whole code points only: it stops before one that does not fit, and
 * reports `read` in UTF-16 code units and `written` in bytes.
 */

import { encodeUtf8 } from "../../console/utf8.ts";
import { markPlatformClass } from "../platform_object.ts";

export interface TextEncoderEncodeIntoResult {
  read: number;
  written: number;
}

export class TextEncoder {
  get encoding(): string {
    return "utf-8";
  }

  encode(input: string = ""): Uint8Array {
    return encodeUtf8(String(input));
  }

  encodeInto(source: string, destination: Uint8Array): TextEncoderEncodeIntoResult {
    if (!(destination instanceof Uint8Array)) {
      throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
    }
    const text = String(source);
    let read = 0;
    let written = 0;
    const room = destination.length;
    while (read < text.length) {
      let code = text.charCodeAt(read);
      let units = 1;
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = read + 1 < text.length ? text.charCodeAt(read + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          units = 2;
        } else {
          code = 0xfffd;
        }
      }
      const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      if (written + size > room) break;
      if (size === 1) {
        destination[written] = code;
      } else if (size === 2) {
        destination[written] = 0xc0 | (code >> 6);
        destination[written + 1] = 0x80 | (code & 0x3f);
      } else if (size === 3) {
        destination[written] = 0xe0 | (code >> 12);
        destination[written + 1] = 0x80 | ((code >> 6) & 0x3f);
        destination[written + 2] = 0x80 | (code & 0x3f);
      } else {
        destination[written] = 0xf0 | (code >> 18);
        destination[written + 1] = 0x80 | ((code >> 12) & 0x3f);
        destination[written + 2] = 0x80 | ((code >> 6) & 0x3f);
        destination[written + 3] = 0x80 | (code & 0x3f);
      }
      written += size;
      read += units;
    }
    return { read, written };
  }

  static {
    Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: "TextEncoder", configurable: true });
    markPlatformClass(TextEncoder, "not-serializable");
  }
}
