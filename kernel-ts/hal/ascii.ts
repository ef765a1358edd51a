/**
 * ascii: Platform.asciiEncode/asciiDecode in TypeScript, for the platforms without a native
 * one (the fake, hosted-node); the contract is in platform.ts, the native version in
 * shim/js/hal_text.c.
 */

export function asciiEncode(text: string): Uint8Array | undefined {
  if (typeof text !== "string") throw new TypeError("asciiEncode: the text must be a string");
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return undefined;
    bytes[i] = code;
  }
  return bytes;
}

export function asciiDecode(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("asciiDecode: the argument must be a Uint8Array");
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= bytes.length)) {
    throw new RangeError(`asciiDecode: range [${start}, ${end}) is not within 0..${bytes.length}`);
  }
  let text = "";
  for (let i = start; i < end; i++) {
    if (bytes[i]! >= 0x80) return undefined;
    text += String.fromCharCode(bytes[i]!);
  }
  return text;
}
