/**
 * chunked: the chunked transfer coding (RFC 9112 §7.1) both ways.
 *
 * ChunkedDecoder reads a request body as it arrives, in pieces of any size: feed() returns
 * the data it found (views into the input, not copies), how many input bytes it used and
 * whether the body ended — the bytes after the end belong to the next pipelined request.
 * Chunk extensions are ignored (§7.1.1); trailer fields are read and dropped (§7.1.2: a
 * server may discard them). Errors are HttpErrors: 400 for a malformed size line or a
 * missing CRLF after chunk data, 413 past the body limit, 431 for a trailer section past
 * the header limit.
 *
 * chunk() and LAST_CHUNK encode a response body.
 */

import { HttpError } from "./errors.ts";

const LF = 0x0a;
const CR = 0x0d;
/** A size line longer than this is an attack, not a chunk (hex digits plus extensions). */
const SIZE_LINE_LIMIT = 4096;

type State = "size" | "data" | "data-end" | "trailer" | "done";

export interface ChunkedOutput {
  readonly data: Uint8Array[];
  /** Input bytes used; the rest (once `done`) is not part of this body. */
  readonly consumed: number;
  readonly done: boolean;
}

export class ChunkedDecoder {
  #state: State = "size";
  /** The size or trailer line read so far (ISO-8859-1). */
  #line = "";
  #remaining = 0;
  #total = 0;
  #trailerBytes = 0;
  /** In "data-end": the CR of the CRLF after chunk data has been seen. */
  #sawCr = false;

  constructor(readonly bodyLimit: number, readonly trailerLimit: number) {}

  get done(): boolean {
    return this.#state === "done";
  }

  feed(input: Uint8Array): ChunkedOutput {
    const data: Uint8Array[] = [];
    let at = 0;
    while (at < input.length && this.#state !== "done") {
      switch (this.#state) {
        case "size": {
          const byte = input[at++]!;
          if (byte !== LF) {
            this.#line += String.fromCharCode(byte);
            if (this.#line.length > SIZE_LINE_LIMIT) throw new HttpError(400, `Cannot read chunked body: a chunk-size line is longer than ${SIZE_LINE_LIMIT} bytes`);
            break;
          }
          const size = chunkSize(this.#line);
          this.#line = "";
          if (size === 0) this.#state = "trailer";
          else {
            this.#total += size;
            if (this.#total > this.bodyLimit) throw new HttpError(413, `Cannot accept a chunked body over ${this.bodyLimit} bytes`);
            this.#remaining = size;
            this.#state = "data";
          }
          break;
        }
        case "data": {
          const take = Math.min(this.#remaining, input.length - at);
          data.push(input.subarray(at, at + take));
          at += take;
          this.#remaining -= take;
          if (this.#remaining === 0) {
            this.#state = "data-end";
            this.#sawCr = false;
          }
          break;
        }
        case "data-end": {
          const byte = input[at++]!;
          if (byte === CR && !this.#sawCr) this.#sawCr = true;
          else if (byte === LF) this.#state = "size";
          else throw new HttpError(400, "Cannot read chunked body: chunk data is not followed by CRLF");
          break;
        }
        case "trailer": {
          const byte = input[at++]!;
          this.#trailerBytes += 1;
          if (this.#trailerBytes > this.trailerLimit) throw new HttpError(431, `Cannot read chunked body: the trailer section is longer than ${this.trailerLimit} bytes`);
          if (byte !== LF) {
            this.#line += String.fromCharCode(byte);
            break;
          }
          const line = this.#line.endsWith("\r") ? this.#line.slice(0, -1) : this.#line;
          this.#line = "";
          if (line === "") this.#state = "done";
          else if (line.indexOf(":") <= 0) throw new HttpError(400, "Cannot read chunked body: a trailer line without a field name");
          break;
        }
      }
    }
    return { data, consumed: at, done: this.#state === "done" };
  }
}

/** The size in a chunk-size line: hex digits, then optional extensions after ";" (§7.1.1). */
function chunkSize(line: string): number {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  const semicolon = text.indexOf(";");
  const digits = (semicolon >= 0 ? text.slice(0, semicolon) : text).replace(/[ \t]+$/, "");
  if (!/^[0-9A-Fa-f]{1,8}$/.test(digits)) throw new HttpError(400, `Cannot read chunked body: chunk size "${digits.slice(0, 20)}" is not 1–8 hex digits`);
  return parseInt(digits, 16);
}

const CRLF = Uint8Array.of(CR, LF);

/** One chunk: size line, data, CRLF. Empty data makes no chunk (it would end the body). */
export function chunk(data: Uint8Array): Uint8Array {
  if (data.length === 0) return new Uint8Array(0);
  const size = data.length.toString(16);
  const out = new Uint8Array(size.length + 2 + data.length + 2);
  for (let i = 0; i < size.length; i++) out[i] = size.charCodeAt(i);
  out.set(CRLF, size.length);
  out.set(data, size.length + 2);
  out.set(CRLF, size.length + 2 + data.length);
  return out;
}

/** The last chunk and an empty trailer section: "0\r\n\r\n". */
export const LAST_CHUNK = Uint8Array.of(0x30, CR, LF, CR, LF);
