/**
 * latin1: bytes ↔ strings, one character per byte. The memcached text protocol is bytes:
 * keys may hold any byte but space and newline, so keys and command words are kept as
 * latin1 strings, which round-trip every byte exactly (TextDecoder's UTF-8 would turn
 * a key's stray high byte into U+FFFD, and a different key).
 */

// ASCII text, nearly all of it, goes through TextEncoder/TextDecoder, which Skiff backs with
// the platform's native ASCII codec; the loops below are for what is not ASCII.
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** The bytes of `text`, whose characters must all be below U+0100. */
export function encodeLatin1(text: string): Uint8Array {
  const utf8 = encoder.encode(text);
  if (utf8.length === text.length) return utf8; // as many bytes as characters: all ASCII
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** One character per byte of `bytes`. */
export function decodeLatin1(bytes: Uint8Array): string {
  try {
    const utf8 = strictDecoder.decode(bytes);
    if (utf8.length === bytes.length) return utf8; // valid UTF-8 as long as its bytes: all ASCII
  } catch {
    // not UTF-8 at all: Latin-1 below
  }
  let text = "";
  // In slices, so that a long line never passes too many arguments to fromCharCode.
  for (let at = 0; at < bytes.length; at += 4096) {
    text += String.fromCharCode(...bytes.subarray(at, at + 4096));
  }
  return text;
}
