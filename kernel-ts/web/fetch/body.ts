/**
 * body: the Fetch Standard's body (§ 2.2.10) and Body mixin (§ 6.4.2), shared by Request
 * and Response through the Body base class.
 *
 *   - extractBody turns a BodyInit into a ReadableStream of bytes plus the Content-Type
 *     it implies: strings (text/plain;charset=UTF-8), ArrayBuffers and views (none),
 *     Blobs (their type), URLSearchParams (application/x-www-form-urlencoded;charset=UTF-8),
 *     FormData (multipart/form-data with a boundary), ReadableStreams as they are. Any
 *     other value is converted to a string, as WebIDL does for the union.
 *   - a body can be read once: text(), json(), arrayBuffer(), bytes(), blob() and
 *     formData() reject with a TypeError once the stream is disturbed or locked, and
 *     `bodyUsed` says so; clone() tees the stream.
 *   - formData() reads multipart/form-data and application/x-www-form-urlencoded.
 *
 * Byte bodies become byte streams (type "bytes") that enqueue the whole body on the
 * first pull, so nothing is copied until someone reads.
 */

import { encodeUtf8 } from "../../console/utf8.ts";
import { utf8Decode } from "../encoding/text_decoder.ts";
import { Blob, blobBytes, blobFromBytes } from "../file/blob.ts";
import { ReadableStream, isDisturbed, readAllBytes } from "../streams.ts";
import { URLSearchParams } from "../url/url_search_params.ts";
import { parseUrlencoded } from "../url/urlencoded.ts";
import { FormData } from "./form_data.ts";
import type { Headers } from "./headers.ts";
import { essence, parseMimeType, serializeMimeType } from "./mime_type.ts";
import { makeBoundary, parseMultipart, serializeMultipart } from "./multipart.ts";

export type BodyInit = ReadableStream<Uint8Array> | Blob | ArrayBuffer | ArrayBufferView | FormData | URLSearchParams | string;

export interface BodyState {
  readonly stream: ReadableStream<Uint8Array>;
  /** The bytes behind the stream when they are known (not for a stream body). */
  readonly length: number | null;
}

export interface ExtractedBody {
  readonly body: BodyState;
  readonly type: string | null;
}

/** A byte stream that hands out `bytes` as one chunk on the first read. */
export function streamOfBytes(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    type: "bytes",
    pull(controller) {
      if (!sent && bytes.byteLength > 0) {
        sent = true;
        controller.enqueue(bytes.slice());
        return;
      }
      controller.close();
      controller.byobRequest?.respond(0);
    },
  }, { highWaterMark: 0 }) as unknown as ReadableStream<Uint8Array>;
}

function fromBytes(bytes: Uint8Array, type: string | null): ExtractedBody {
  return { body: { stream: streamOfBytes(bytes), length: bytes.byteLength }, type };
}

/** Fetch § 2.2.10 "extract a body". */
export function extractBody(init: unknown): ExtractedBody {
  if (init instanceof ReadableStream) {
    if (init.locked || isDisturbed(init)) throw new TypeError("The body's ReadableStream is locked or has been read from");
    return { body: { stream: init as ReadableStream<Uint8Array>, length: null }, type: null };
  }
  if (init instanceof Blob) return fromBytes(blobBytes(init), init.type === "" ? null : init.type);
  if (ArrayBuffer.isView(init)) return fromBytes(new Uint8Array(init.buffer, init.byteOffset, init.byteLength).slice(), null);
  if (init instanceof ArrayBuffer) return fromBytes(new Uint8Array(init).slice(), null);
  if (init instanceof URLSearchParams) return fromBytes(encodeUtf8(init.toString()), "application/x-www-form-urlencoded;charset=UTF-8");
  if (init instanceof FormData) {
    const boundary = makeBoundary();
    return fromBytes(serializeMultipart(init, boundary), `multipart/form-data; boundary=${boundary}`);
  }
  return fromBytes(encodeUtf8(String(init)), "text/plain;charset=UTF-8");
}

export let setBody: (target: Body, body: BodyState | null) => void;
export let bodyOf: (target: Body) => BodyState | null;

/** The Body mixin; Request and Response extend it and provide `headers`. */
export abstract class Body {
  #body: BodyState | null = null;

  abstract get headers(): Headers;

  get body(): ReadableStream<Uint8Array> | null {
    return this.#body?.stream ?? null;
  }

  get bodyUsed(): boolean {
    return this.#body !== null && isDisturbed(this.#body.stream);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#consume("arrayBuffer");
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer as ArrayBuffer : bytes.slice().buffer;
  }

  async bytes(): Promise<Uint8Array> {
    const bytes = await this.#consume("bytes");
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  }

  async blob(): Promise<Blob> {
    const bytes = await this.#consume("blob");
    const mime = parseMimeType(this.headers.get("content-type") ?? "");
    return blobFromBytes(bytes, mime === null ? "" : serializeMimeType(mime).toLowerCase());
  }

  async text(): Promise<string> {
    return utf8Decode(await this.#consume("text"));
  }

  async json(): Promise<unknown> {
    return JSON.parse(utf8Decode(await this.#consume("json")));
  }

  async formData(): Promise<FormData> {
    const bytes = await this.#consume("formData");
    const mime = parseMimeType(this.headers.get("content-type") ?? "");
    if (mime !== null && essence(mime) === "multipart/form-data") {
      const boundary = mime.parameters.get("boundary");
      if (boundary === undefined) throw new TypeError("Failed to parse body as FormData: multipart/form-data without a boundary");
      return parseMultipart(bytes, boundary);
    }
    if (mime !== null && essence(mime) === "application/x-www-form-urlencoded") {
      const form = new FormData();
      for (const [name, value] of parseUrlencoded(bytes)) form.append(name, value);
      return form;
    }
    throw new TypeError(`Failed to parse body as FormData: unsupported Content-Type ${JSON.stringify(this.headers.get("content-type"))}`);
  }

  /** Fetch § 6.4.2 "consume body": all the bytes, once. */
  async #consume(method: string): Promise<Uint8Array> {
    const body = this.#body;
    if (body === null) return new Uint8Array(0);
    if (isDisturbed(body.stream) || body.stream.locked) {
      throw new TypeError(`Failed to execute '${method}': Body is unusable: Body has already been read`);
    }
    return readAllBytes(body.stream);
  }

  static {
    setBody = (target, body) => { target.#body = body; };
    bodyOf = (target) => target.#body;
  }
}

/** For clone(): tees `target`'s body, keeps one branch and returns the other. */
export function teeBody(target: Body, what: string): BodyState | null {
  const body = bodyOf(target);
  if (body === null) return null;
  if (isDisturbed(body.stream) || body.stream.locked) throw new TypeError(`Failed to execute 'clone' on '${what}': Body has already been consumed.`);
  const [mine, theirs] = body.stream.tee();
  setBody(target, { stream: mine, length: body.length });
  return { stream: theirs, length: body.length };
}
