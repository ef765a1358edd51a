/**
 * text_decoder: TextDecoder from the Encoding Standard, for UTF-8 only: the labels the
 * standard maps to UTF-8 are accepted, any other label is a RangeError (this runtime has
 * no legacy encodings).
 *
 * Options: `fatal` (throw a TypeError on invalid bytes instead of writing U+FFFD) and
 * `ignoreBOM` (keep a leading byte order mark). `decode(bytes, { stream: true })` keeps an
 * unfinished sequence for the next call; a call without `stream` finishes the stream and
 * makes the decoder ready for a new one (the BOM is looked for again).
 */

import { markPlatformClass } from "../platform_object.ts";
import { bufferSourceBytes, type BufferSource } from "./buffer_source.ts";
import { asciiDecode } from "../../ascii.ts";
import { Utf8Decoder } from "./utf8_decoder.ts";

/** The Encoding Standard's labels for UTF-8. */
const UTF8_LABELS: ReadonlySet<string> = new Set(["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"]);

export interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}

export interface TextDecodeOptions {
  stream?: boolean;
}

/** Strips ASCII whitespace from both ends, as the standard's "get an encoding" does. */
function trimAsciiWhitespace(text: string): string {
  return text.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "");
}

export class TextDecoder {
  readonly #fatal: boolean;
  readonly #ignoreBOM: boolean;
  #decoder: Utf8Decoder;
  #bomSeen = false;
  #streaming = false;

  constructor(label: string = "utf-8", options?: TextDecoderOptions) {
    const name = trimAsciiWhitespace(String(label)).toLowerCase();
    if (!UTF8_LABELS.has(name)) {
      throw new RangeError(`Failed to construct 'TextDecoder': The encoding label provided ('${String(label)}') is invalid or not supported (only UTF-8 is).`);
    }
    this.#fatal = Boolean(options?.fatal);
    this.#ignoreBOM = Boolean(options?.ignoreBOM);
    this.#decoder = new Utf8Decoder(this.#fatal);
  }

  get encoding(): string { return "utf-8"; }
  get fatal(): boolean { return this.#fatal; }
  get ignoreBOM(): boolean { return this.#ignoreBOM; }

  decode(input?: BufferSource | null, options?: TextDecodeOptions): string {
    if (!this.#streaming && options === undefined && input instanceof Uint8Array) {
      // The common call — whole bytes, no stream — of ASCII bytes: they are the text (no BOM
      // can be among them), with no decoder made for it.
      const ascii = asciiDecode(input);
      if (ascii !== undefined) return ascii;
    }
    if (!this.#streaming) {
      this.#decoder = new Utf8Decoder(this.#fatal);
      this.#bomSeen = false;
    }
    const stream = Boolean(options?.stream);
    this.#streaming = stream;
    const bytes = input === undefined || input === null ? new Uint8Array(0) : bufferSourceBytes(input, "Failed to execute 'decode' on 'TextDecoder'");
    let text: string;
    try {
      text = this.#decoder.decode(bytes, !stream);
    } catch (error) {
      this.#streaming = false;
      throw error;
    }
    if (!this.#ignoreBOM && !this.#bomSeen && text.length > 0) {
      this.#bomSeen = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  static {
    Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: "TextDecoder", configurable: true });
    markPlatformClass(TextDecoder, "not-serializable");
  }
}

/** UTF-8 decode without a decoder object: BOM stripped, errors replaced (Encoding § 6 "UTF-8 decode"). */
export function utf8Decode(bytes: Uint8Array): string {
  const text = new Utf8Decoder(false).decode(bytes, true);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** "UTF-8 decode without BOM": errors replaced, a leading U+FEFF kept. */
export function utf8DecodeWithoutBom(bytes: Uint8Array): string {
  return new Utf8Decoder(false).decode(bytes, true);
}
