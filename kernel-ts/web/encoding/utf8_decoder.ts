/**
 * utf8_decoder: the Encoding Standard's UTF-8 decoder (§ 9.1.1) as a state machine over
 * bytes, resumable across chunks for `decode(…, { stream: true })`.
 *
 * Invalid and truncated sequences become U+FFFD with the standard's "maximal subpart"
 * rule: a byte that cannot continue the current sequence ends it with one U+FFFD and is
 * then read again as the start of the next. In fatal mode the first error throws a
 * TypeError instead.
 */

import { asciiDecode } from "../../ascii.ts";

const REPLACEMENT = 0xfffd;
/** Code units gathered before they are turned into a string in one call. */
const FLUSH_UNITS = 8192;

export class Utf8Decoder {
  readonly #fatal: boolean;
  #codePoint = 0;
  #bytesSeen = 0;
  #bytesNeeded = 0;
  #lower = 0x80;
  #upper = 0xbf;

  constructor(fatal: boolean) {
    this.#fatal = fatal;
  }

  /** Decodes `bytes`; with `flush`, an unfinished sequence at the end is an error. */
  decode(bytes: Uint8Array, flush: boolean): string {
    if (this.#bytesNeeded === 0) {
      const ascii = asciiDecode(bytes); // no sequence open: all-ASCII bytes decode as they are
      if (ascii !== undefined) return ascii;
    }
    let out = "";
    const units: number[] = [];
    const emit = (codePoint: number): void => {
      if (codePoint < 0x10000) {
        units.push(codePoint);
      } else {
        const offset = codePoint - 0x10000;
        units.push(0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff));
      }
      if (units.length >= FLUSH_UNITS) {
        out += String.fromCharCode.apply(null, units);
        units.length = 0;
      }
    };
    const error = (): void => {
      if (this.#fatal) {
        this.#reset();
        throw new TypeError("The encoded data was not valid for encoding utf-8");
      }
      emit(REPLACEMENT);
    };

    let i = 0;
    while (i < bytes.length) {
      const byte = bytes[i]!;
      if (this.#bytesNeeded === 0 && byte <= 0x7f) {
        // A run of ASCII goes out in one call: the common case, and far cheaper per byte.
        let end = i + 1;
        while (end < bytes.length && end - i < FLUSH_UNITS && bytes[end]! <= 0x7f) end++;
        if (units.length > 0) {
          out += String.fromCharCode.apply(null, units);
          units.length = 0;
        }
        out += String.fromCharCode.apply(null, bytes.subarray(i, end) as unknown as number[]);
        i = end;
        continue;
      }
      if (this.#bytesNeeded === 0) {
        i++;
        if (byte <= 0x7f) emit(byte);
        else if (byte >= 0xc2 && byte <= 0xdf) { this.#bytesNeeded = 1; this.#codePoint = byte & 0x1f; }
        else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) this.#lower = 0xa0;
          if (byte === 0xed) this.#upper = 0x9f;
          this.#bytesNeeded = 2;
          this.#codePoint = byte & 0x0f;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) this.#lower = 0x90;
          if (byte === 0xf4) this.#upper = 0x8f;
          this.#bytesNeeded = 3;
          this.#codePoint = byte & 0x07;
        } else error();
        continue;
      }
      if (byte < this.#lower || byte > this.#upper) {
        // The byte is not consumed: it starts over as a fresh sequence.
        this.#reset();
        error();
        continue;
      }
      i++;
      this.#lower = 0x80;
      this.#upper = 0xbf;
      this.#codePoint = (this.#codePoint << 6) | (byte & 0x3f);
      this.#bytesSeen++;
      if (this.#bytesSeen === this.#bytesNeeded) {
        const codePoint = this.#codePoint;
        this.#reset();
        emit(codePoint);
      }
    }
    if (flush && this.#bytesNeeded !== 0) {
      this.#reset();
      error();
    }
    if (units.length > 0) out += String.fromCharCode.apply(null, units);
    return out;
  }

  #reset(): void {
    this.#codePoint = 0;
    this.#bytesSeen = 0;
    this.#bytesNeeded = 0;
    this.#lower = 0x80;
    this.#upper = 0xbf;
  }
}
