/**
 * buffer_source: WebIDL's BufferSource (an ArrayBuffer, SharedArrayBuffer or any
 * ArrayBufferView, DataView included) seen as the bytes it covers, without copying.
 */

export type BufferSource = ArrayBufferLike | ArrayBufferView;

export function isBufferSource(value: unknown): value is BufferSource {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value) ||
    (typeof SharedArrayBuffer === "function" && value instanceof SharedArrayBuffer);
}

/** The bytes `source` covers, as a view over the same memory; TypeError for anything else. */
export function bufferSourceBytes(source: unknown, what: string): Uint8Array {
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof SharedArrayBuffer === "function" && source instanceof SharedArrayBuffer) return new Uint8Array(source);
  throw new TypeError(`${what}: The provided value is not of type '(ArrayBuffer or ArrayBufferView)'`);
}

/** A copy of the bytes `source` covers, in a fresh ArrayBuffer. */
export function copyBufferSource(source: BufferSource, what: string): Uint8Array {
  return bufferSourceBytes(source, what).slice();
}
