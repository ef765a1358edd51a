/**
 * streams: the WHATWG Streams Standard's classes, from the `web-streams-polyfill` npm
 * package (its ponyfill build, pinned in package-lock.json and bundled into the kernel by
 * esbuild). It is a port of the standard's reference implementation: ReadableStream with
 * default and BYOB readers, byte streams, tee, pipeTo/pipeThrough, async iteration;
 * WritableStream; TransformStream; the two queuing strategies.
 *
 * `isDisturbed` answers the standard's IsReadableStreamDisturbed for the body mixin
 * (bodyUsed). The standard keeps that flag internal; the polyfill keeps it in the
 * `_disturbed` field, which this reads (tests/unit/web/streams.test.ts pins it).
 */

import { ReadableStream } from "web-streams-polyfill";

export {
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  ReadableByteStreamController,
  ReadableStream,
  ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest,
  ReadableStreamDefaultController,
  ReadableStreamDefaultReader,
  TransformStream,
  TransformStreamDefaultController,
  WritableStream,
  WritableStreamDefaultController,
  WritableStreamDefaultWriter,
} from "web-streams-polyfill";

/** True once the stream has been read from or cancelled (Streams § 4.9 IsReadableStreamDisturbed). */
export function isDisturbed(stream: ReadableStream<unknown>): boolean {
  const disturbed = (stream as unknown as { _disturbed?: unknown })._disturbed;
  if (typeof disturbed !== "boolean") throw new TypeError("isDisturbed: the stream is not a web-streams-polyfill ReadableStream");
  return disturbed;
}

/** Reads every chunk of `stream` (each must be a Uint8Array) into one Uint8Array. */
export async function readAllBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) {
      const error = new TypeError("Received non-Uint8Array chunk");
      await reader.cancel(error);
      throw error;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
