/**
 * blob: Blob from the File API: immutable bytes with a MIME type.
 *
 * Parts may be strings (UTF-8, lone surrogates as U+FFFD; with `endings: "native"` line
 * breaks become "\n"), ArrayBuffers, views and other Blobs; their bytes are copied once,
 * at construction. slice() shares the bytes (a Blob never changes them). `type` is
 * lower-cased, and "" when it holds a code point outside U+0020–U+007E.
 * stream() is a byte ReadableStream (streams.ts) handing out 64 KiB chunks.
 */

import { encodeUtf8 } from "../../console/utf8.ts";
import { utf8Decode } from "../encoding/text_decoder.ts";
import { markPlatformClass } from "../platform_object.ts";
import { ReadableStream } from "../streams.ts";

export type BlobPart = string | ArrayBuffer | ArrayBufferView | Blob;

export interface BlobPropertyBag {
  type?: string;
  endings?: "transparent" | "native";
}

const STREAM_CHUNK = 65536;

function normalizeType(type: string | undefined): string {
  if (type === undefined) return "";
  const text = String(type);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return "";
  }
  return text.toLowerCase();
}

function partBytes(part: unknown, endings: string): Uint8Array {
  if (part instanceof Blob) return blobBytes(part);
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  const text = String(part);
  return encodeUtf8(endings === "native" ? text.replace(/\r\n|\r/g, "\n") : text);
}

function clampIndex(value: number | undefined, size: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Math.trunc(Number(value)) || 0;
  return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
}

export let blobBytes: (blob: Blob) => Uint8Array;
export let blobFromBytes: (bytes: Uint8Array, type: string) => Blob;

export class Blob {
  #bytes: Uint8Array;
  #type: string;

  constructor(blobParts?: Iterable<BlobPart>, options?: BlobPropertyBag) {
    if (blobParts !== undefined && (typeof blobParts !== "object" || blobParts === null || typeof (blobParts as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function")) {
      throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
    }
    const endings = options?.endings === undefined ? "transparent" : String(options.endings);
    if (endings !== "transparent" && endings !== "native") {
      throw new TypeError(`Failed to construct 'Blob': The provided value '${endings}' is not a valid enum value of type EndingType.`);
    }
    const parts = blobParts === undefined ? [] : [...blobParts].map((part) => partBytes(part, endings));
    const size = parts.reduce((total, part) => total + part.byteLength, 0);
    this.#bytes = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      this.#bytes.set(part, at);
      at += part.byteLength;
    }
    this.#type = normalizeType(options?.type);
  }

  get size(): number {
    return this.#bytes.byteLength;
  }

  get type(): string {
    return this.#type;
  }

  slice(start?: number, end?: number, contentType?: string): Blob {
    const size = this.#bytes.byteLength;
    const from = clampIndex(start, size, 0);
    const to = clampIndex(end, size, size);
    return blobFromBytes(this.#bytes.subarray(from, Math.max(from, to)), normalizeType(contentType));
  }

  async text(): Promise<string> {
    return utf8Decode(this.#bytes);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#bytes.slice().buffer;
  }

  async bytes(): Promise<Uint8Array> {
    return this.#bytes.slice();
  }

  stream(): ReadableStream<Uint8Array> {
    const bytes = this.#bytes;
    let offset = 0;
    return new ReadableStream<Uint8Array>({
      type: "bytes",
      pull(controller) {
        if (offset >= bytes.byteLength) {
          controller.close();
          controller.byobRequest?.respond(0);
          return;
        }
        const end = Math.min(bytes.byteLength, offset + STREAM_CHUNK);
        controller.enqueue(bytes.slice(offset, end));
        offset = end;
      },
    }) as unknown as ReadableStream<Uint8Array>;
  }

  static {
    blobBytes = (blob) => blob.#bytes;
    blobFromBytes = (bytes, type) => {
      const blob = new Blob();
      blob.#bytes = bytes;
      blob.#type = type;
      return blob;
    };
    Object.defineProperty(Blob.prototype, Symbol.toStringTag, { value: "Blob", configurable: true });
    markPlatformClass(Blob, "serializable");
  }
}
