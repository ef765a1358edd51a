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
 * Byte bodies (every BodyInit but a ReadableStream) keep their bytes and make their stream
 * only when someone asks for it (`body`, a clone that must tee, a Request made from this
 * one): text(), json() and the rest read the bytes directly, and the kernel's HTTP server
 * takes them in one piece (TAKE_BODY_BYTES). A stream so made is a byte stream (type
 * "bytes") that enqueues the whole body on the first pull. Creating a ReadableStream, a
 * reader and their promises costs far more than the bytes under an interpreter.
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
  /** The body's stream; for a byte body, made on first use (streamOf). */
  stream: ReadableStream<Uint8Array> | undefined;
  /** A byte body's bytes, until its stream is made or they are consumed. */
  bytes: Uint8Array | undefined;
  /** A byte body was consumed without a stream (bodyUsed). */
  used: boolean;
  /** The bytes behind the stream when they are known (not for a stream body). */
  readonly length: number | null;
}

/**
 * A Body's method (under this registry symbol, so the kernel's HTTP server finds it whichever
 * copy of this module made the Response) that hands over a byte body's bytes in one piece
 * and marks the body used; undefined when the body is a stream, already has its stream, or is
 * used. Not part of any standard API.
 */
export const TAKE_BODY_BYTES: unique symbol = Symbol.for("skiff.takeBodyBytes") as never;

/** The body's stream, made now from its bytes when it has none yet. */
export function streamOf(body: BodyState): ReadableStream<Uint8Array> {
  if (body.stream === undefined) {
    const bytes = body.used ? new Uint8Array(0) : body.bytes ?? new Uint8Array(0);
    body.stream = streamOfBytes(bytes);
    body.bytes = undefined;
    if (body.used) void readAllBytes(body.stream); // consumed already: its stream is disturbed
  }
  return body.stream;
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
  return { body: { stream: undefined, bytes, used: false, length: bytes.byteLength }, type };
}

/** Fetch § 2.2.10 "extract a body". */
export function extractBody(init: unknown): ExtractedBody {
  if (typeof init === "string") return fromBytes(encodeUtf8(init), "text/plain;charset=UTF-8"); // the common case, before five instanceof tests
  if (init instanceof ReadableStream) {
    if (init.locked || isDisturbed(init)) throw new TypeError("The body's ReadableStream is locked or has been read from");
    return { body: { stream: init as ReadableStream<Uint8Array>, bytes: undefined, used: false, length: null }, type: null };
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
    return this.#body === null ? null : streamOf(this.#body);
  }

  get bodyUsed(): boolean {
    return this.#body !== null && isUsed(this.#body);
  }

  /** See TAKE_BODY_BYTES. */
  [TAKE_BODY_BYTES](): Uint8Array | undefined {
    const body = this.#body;
    if (body === null || body.stream !== undefined || body.used || body.bytes === undefined) return undefined;
    body.used = true;
    const bytes = body.bytes;
    body.bytes = undefined;
    return bytes;
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
    if (isUsed(body) || (body.stream !== undefined && body.stream.locked)) {
      throw new TypeError(`Failed to execute '${method}': Body is unusable: Body has already been read`);
    }
    if (body.stream === undefined && body.bytes !== undefined) {
      body.used = true;
      const bytes = body.bytes;
      body.bytes = undefined;
      return bytes;
    }
    return readAllBytes(streamOf(body));
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
  if (isUsed(body) || (body.stream !== undefined && body.stream.locked)) throw new TypeError(`Failed to execute 'clone' on '${what}': Body has already been consumed.`);
  if (body.stream === undefined && body.bytes !== undefined) {
    // Known bytes need no tee: each side gets its own copy.
    return { stream: undefined, bytes: body.bytes.slice(), used: false, length: body.length };
  }
  const [mine, theirs] = streamOf(body).tee();
  setBody(target, { stream: mine, bytes: undefined, used: false, length: body.length });
  return { stream: theirs, bytes: undefined, used: false, length: body.length };
}

/** Consumed: bytes taken, or a stream that has been read from. */
function isUsed(body: BodyState): boolean {
  return body.used || (body.stream !== undefined && isDisturbed(body.stream));
}
