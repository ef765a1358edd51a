/**
 * response_writer: a web Response onto an HTTP/1.1 connection (RFC 9112 §6, RFC 9110 §6.4).
 *
 * Framing: a body that is all there at once (bytes the Response was made from, taken whole;
 * or a stream found finished by reading ahead while reads settle within the same turn, up to
 * READ_AHEAD_BYTES) goes with Content-Length in one write; a body still streaming goes chunked to an HTTP/1.1 client,
 * or delimited by closing the connection to an HTTP/1.0 one. A handler's own Content-Length
 * is kept for a streaming body and enforced: a body that disagrees ends the connection. HEAD,
 * 204 and 304 responses carry no body (RFC 9110 §9.3.2, §15.3.5, §15.4.5); their stream is
 * cancelled. Connection, Keep-Alive and Transfer-Encoding from the handler are dropped:
 * the connection's framing is the server's business. Date is added when missing.
 */

import { chunk, LAST_CHUNK } from "./chunked.ts";
import type { HttpError } from "./errors.ts";
import { concat, type ByteStream } from "./request_reader.ts";
import { httpDate, responseHead } from "./response_head.ts";

/** A body up to this size found complete while reading ahead gets a Content-Length. */
const READ_AHEAD_BYTES = 64 * 1024;
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"]);

export interface WriteOptions {
  /** The request was HEAD: fields as for GET, no body. */
  readonly head: boolean;
  readonly version: "1.0" | "1.1";
  /** The client allows another request after this one. */
  readonly keepAlive: boolean;
  readonly dateMs: number;
  /** The loop's timers: a zero timeout marks its next turn (what has not arrived by then is still streaming). */
  readonly timers: { setTimeout(callback: () => void, ms: number): unknown };
}

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

export interface WriteResult {
  /** The connection can carry another request. */
  readonly keepAlive: boolean;
}

/**
 * Writes `response`; says whether the connection can carry another request. A body of
 * known bytes that the stream takes at once (ByteStream.writeSome) is answered without a
 * promise: the common response costs no promise job here.
 */
export function writeResponse(stream: ByteStream, response: Response, options: WriteOptions): WriteResult | Promise<WriteResult> {
  const fields: Array<[string, string]> = [];
  const cookies: Array<[string, string]> = [];
  let declaredLength: number | undefined;
  let dated = false;
  // One pass (forEach: sort-and-combine, Set-Cookie values apart), no iterator per field.
  response.headers.forEach((value, name) => {
    if (name === "set-cookie") return void cookies.push([name, value]);
    if (HOP_BY_HOP.has(name)) return;
    if (name === "content-length") {
      declaredLength = /^\d+$/.test(value) ? Number(value) : undefined;
      return;
    }
    if (name === "date") dated = true;
    fields.push([name, value]);
  });
  for (let i = 0; i < cookies.length; i++) fields.push(cookies[i]!);
  if (!dated) fields.push(["date", httpDate(options.dateMs)]);
  const keepAlive = options.keepAlive;
  const status = response.status;
  const noBody = options.head || status === 204 || status === 304;

  // A body of known bytes (a string, bytes, a Blob…) comes whole, with no stream to read.
  const known = takeBodyBytes(response);
  if (known !== undefined && !noBody) {
    if (declaredLength === undefined || declaredLength === known.length) {
      fields.push(["content-length", String(known.length)]);
      connectionField(fields, keepAlive, options.version);
      return writeAll(stream, concat([responseHead(status, response.statusText, fields), known]), { keepAlive });
    }
    // The handler declared another length: what fits goes, then the connection ends.
    fields.push(["content-length", String(declaredLength)]);
    connectionField(fields, keepAlive, options.version);
    return writeAll(stream, concat([responseHead(status, response.statusText, fields), known.subarray(0, declaredLength)]), { keepAlive: false });
  }
  return writeWithoutKnownBytes(stream, response, options, fields, known, declaredLength, noBody);
}

/** Writes `bytes`: `result` at once when the stream takes them all now, else once write() has buffered the rest. */
function writeAll(stream: ByteStream, bytes: Uint8Array, result: WriteResult): WriteResult | Promise<WriteResult> {
  const taken = stream.writeSome?.(bytes) ?? 0;
  if (taken === bytes.length) return result;
  return stream.write(taken === 0 ? bytes : bytes.subarray(taken)).then(() => result);
}

/** The rest of writeResponse: no body, HEAD, or a body that streams. */
async function writeWithoutKnownBytes(
  stream: ByteStream, response: Response, options: WriteOptions, fields: Array<[string, string]>,
  known: Uint8Array | undefined, declaredLength: number | undefined, noBody: boolean,
): Promise<WriteResult> {
  let keepAlive = options.keepAlive;
  const status = response.status;
  if (noBody || known !== undefined || response.body === null) {
    // HEAD: the fields a GET would get (RFC 9110 §9.3.2), so the length of the body the
    // handler made, when it is all there at once; a streaming one has none to give.
    let length = declaredLength;
    if (length === undefined && known !== undefined && options.head && status !== 204 && status !== 304) {
      length = known.length;
    } else if (length === undefined && known === undefined && response.body !== null && options.head && status !== 204 && status !== 304) {
      const read = await readAhead(response.body.getReader(), options);
      length = read.done ? read.bytes : undefined;
      await read.reader.cancel().catch(() => {});
    } else if (known === undefined) {
      await response.body?.cancel().catch(() => {});
      if (length === undefined && response.body === null && status !== 204 && status !== 304) length = 0;
    }
    if (length !== undefined && status !== 204) fields.push(["content-length", String(length)]);
    connectionField(fields, keepAlive, options.version);
    await stream.write(responseHead(status, response.statusText, fields));
    return { keepAlive };
  }

  const { reader, chunks: ahead, bytes: aheadBytes, done, inflight: raced } = await readAhead(response.body.getReader(), options);
  let inflight = raced;

  if (done && declaredLength === undefined) {
    fields.push(["content-length", String(aheadBytes)]);
    connectionField(fields, keepAlive, options.version);
    await stream.write(concat([responseHead(status, response.statusText, fields), ...ahead]));
    return { keepAlive };
  }

  const chunked = declaredLength === undefined && options.version === "1.1";
  if (declaredLength !== undefined) fields.push(["content-length", String(declaredLength)]);
  else if (chunked) fields.push(["transfer-encoding", "chunked"]);
  else keepAlive = false; // HTTP/1.0 and no length: the end of the connection ends the body
  connectionField(fields, keepAlive, options.version);
  await stream.write(responseHead(status, response.statusText, fields));

  let sent = 0;
  const send = async (piece: Uint8Array): Promise<boolean> => {
    if (declaredLength !== undefined && sent + piece.length > declaredLength) {
      await stream.write(piece.subarray(0, declaredLength - sent));
      sent = declaredLength;
      return false; // more than it declared: the rest cannot be framed
    }
    sent += piece.length;
    await stream.write(chunked ? chunk(piece) : piece);
    return true;
  };
  for (const piece of ahead) if (!(await send(piece))) { await reader.cancel().catch(() => {}); return { keepAlive: false }; }
  while (!done) {
    const next: ReadResult = await (inflight ?? reader.read());
    inflight = undefined;
    if (next.done) break;
    if (!(await send(next.value))) { await reader.cancel().catch(() => {}); return { keepAlive: false }; }
  }
  if (chunked) await stream.write(LAST_CHUNK);
  if (declaredLength !== undefined && sent !== declaredLength) return { keepAlive: false };
  return { keepAlive };
}

/** The Connection field our framing needs: close when this is the last response, keep-alive for an HTTP/1.0 client that stays. */
function connectionField(fields: Array<[string, string]>, keepAlive: boolean, version: "1.0" | "1.1"): void {
  if (!keepAlive) fields.push(["connection", "close"]);
  else if (version === "1.0") fields.push(["connection", "keep-alive"]);
}

interface ReadAhead {
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly chunks: Uint8Array[];
  readonly bytes: number;
  /** The stream ended within the read-ahead. */
  readonly done: boolean;
  /** A read that lost the race with the turn's end: the stream's next chunk, when it comes. */
  readonly inflight: Promise<ReadResult> | undefined;
}

/** Reads what the stream has now: until it ends, a read waits past this turn, or READ_AHEAD_BYTES. */
async function readAhead(reader: ReadableStreamDefaultReader<Uint8Array>, options: WriteOptions): Promise<ReadAhead> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const turnEnds = new Promise<"later">((resolve) => { options.timers.setTimeout(() => resolve("later"), 0); });
  while (bytes <= READ_AHEAD_BYTES) {
    const read = reader.read();
    const next = await Promise.race([read, turnEnds]);
    if (next === "later") return { reader, chunks, bytes, done: false, inflight: read };
    if (next.done) return { reader, chunks, bytes, done: true, inflight: undefined };
    chunks.push(next.value);
    bytes += next.value.length;
  }
  return { reader, chunks, bytes, done: false, inflight: undefined };
}

/** The web globals' Body method that hands over a byte body whole (kernel-ts/web/fetch/body.ts TAKE_BODY_BYTES). */
const TAKE_BODY_BYTES = Symbol.for("skiff.takeBodyBytes");

/**
 * A byte body's bytes, taken (the body is used from then on), or undefined for a streaming
 * body or a Response from elsewhere. By the registry symbol, not an import: this module may
 * be a reloaded copy (code_slot.ts), the web globals are the kernel's.
 */
function takeBodyBytes(response: Response): Uint8Array | undefined {
  const take = (response as unknown as Record<symbol, unknown>)[TAKE_BODY_BYTES];
  if (typeof take !== "function") return undefined;
  const bytes: unknown = take.call(response);
  return bytes instanceof Uint8Array ? bytes : undefined;
}

/** The answer to a refused request: its status, a one-line text body, Connection: close. */
export async function writeErrorResponse(stream: ByteStream, error: HttpError, dateMs: number): Promise<void> {
  const body = new TextEncoder().encode(`${error.message}\n`); // UTF-8, as the content-type says
  const head = responseHead(error.status, "", [
    ["content-type", "text/plain; charset=utf-8"],
    ["content-length", String(body.length)],
    ["date", httpDate(dateMs)],
    ["connection", "close"],
  ]);
  await stream.write(concat([head, body]));
}
