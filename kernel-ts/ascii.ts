/**
 * ascii: the kernel's text codecs' fast path, the platform's native ASCII encoder and
 * decoder (Platform.asciiEncode/asciiDecode; in the VM, shim/js/hal_text.c). Boot installs
 * the platform's with useAsciiCodec; until then (unit tests, tools) both answer undefined
 * and every caller takes its own exact path. Callers: console/utf8.ts (TextEncoder and the
 * console), web/encoding/utf8_decoder.ts (TextDecoder), http/request_head.ts and
 * http/response_head.ts.
 */

import type { Platform } from "./hal/platform.ts";

export type AsciiCodec = Pick<Platform, "asciiEncode" | "asciiDecode">;

const none: AsciiCodec = { asciiEncode: () => undefined, asciiDecode: () => undefined };
let codec: AsciiCodec = none;

export function useAsciiCodec(platform: AsciiCodec): void {
  codec = platform;
}

/** `text` as bytes when it is all ASCII and a codec is installed; else undefined. */
export function asciiEncode(text: string): Uint8Array | undefined {
  return codec.asciiEncode(text);
}

/** bytes[start, end) as a string when all ASCII and a codec is installed; else undefined. */
export function asciiDecode(bytes: Uint8Array, start = 0, end = bytes.length): string | undefined {
  return codec.asciiDecode(bytes, start, end);
}
