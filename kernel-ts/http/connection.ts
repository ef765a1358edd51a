/**
 * connection: one HTTP/1.1 connection served by a fetch handler, request after request:
 * serveNext serves one request; the loop over them is the driver's (server.ts), which takes
 * serveNext from the HTTP module's code slot (code_slot.ts) at every request, so a reload of
 * this module serves the next request on a kept-alive connection with the new code.
 *
 * Per request: read the head (request_reader.ts), make a web-standard Request whose body is
 * a ReadableStream over the framed bytes (100 Continue is sent when the handler first reads
 * a body the client is holding back, RFC 9110 §10.1.1), call the handler, write its Response
 * (response_writer.ts), then drain what the handler left unread of the body so the next
 * request starts where it should. Requests are answered in order, so pipelined requests
 * (RFC 9112 §9.3.2) simply wait in the reader's buffer.
 *
 * Failures, by tier (STYLE.md): a request the server refuses (HttpError) gets its status,
 * "Connection: close" and a one-line text body, then the connection closes; a handler that
 * throws or returns something other than a Response gets 500 and the connection carries
 * on; the stream failing (a reset) ends the connection quietly.
 */

import { HttpError } from "./errors.ts";
import type { HttpLimits } from "./limits.ts";
import type { RequestHead } from "./request_head.ts";
import { RequestReader, type ByteStream, type HttpTimers, type ReaderState } from "./request_reader.ts";
import { writeErrorResponse, writeResponse, type WriteResult } from "./response_writer.ts";
import { serverRequestFactory } from "../web/fetch/server_request.ts";

export interface FetchContext {
  /** Keeps work going after the response (its failure is logged). */
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

export type FetchHandler = (request: Request, env: Record<string, string>, context: FetchContext) => Response | Promise<Response>;

/**
 * The app API's classes a request is served with: its Request and body stream are made with
 * them and the handler's answer must be their Response. An app reloaded onto a newer app API
 * (loader/reload_api.ts) has classes of its own, not the kernel's globals.
 */
export interface WebClasses {
  readonly Request: typeof Request;
  readonly Response: typeof Response;
  readonly ReadableStream: typeof ReadableStream;
}

export interface ConnectionOptions {
  readonly handler: FetchHandler;
  readonly env: Record<string, string>;
  readonly limits: HttpLimits;
  readonly timers: HttpTimers;
  /** Wall-clock milliseconds for the Date field. */
  readonly wallClockMs: () => number;
  /** "host:port" for requests without a Host field (HTTP/1.0). */
  readonly localAuthority: string;
  /** Reports a handler's failure (with its stack). */
  readonly reportError: (what: string, error: unknown) => void;
  /** The classes for the next request (read just before the handler is called); the globals' when absent. */
  readonly web?: () => WebClasses;
}

/** The global object's classes, taken at the first request (the kernel installs its globals at boot). */
let globalClasses: WebClasses | undefined;

const CONTINUE = Uint8Array.from("HTTP/1.1 100 Continue\r\n\r\n", (c) => c.charCodeAt(0));
/** A lingering close hears a client out for at most this much (request_reader.ts drain). */
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 1000;

/** Ends the connection after our last response: FIN first, then the client's leftovers, then close. */
async function closeAfterResponse(stream: ByteStream, reader: RequestReader): Promise<void> {
  stream.closeWrite();
  await reader.drain(LINGER_BYTES, LINGER_MS);
  stream.close();
}

/**
 * One connection between two requests, as data (a stream handle, the reader's state): the
 * code that serves its next request may be newer than the code that served the last.
 */
export interface ConnectionState {
  readonly stream: ByteStream;
  reader: ReaderState | undefined;
  first: boolean;
}

/**
 * Serves the next request on the connection: true when another may follow, false once the
 * connection is closed. Rejects when the stream broke (the driver, server.ts, aborts it).
 * `stale()` says newer code has been installed (code_slot.ts): a request that arrives after
 * that, while this code waited for it, is left for the newer code (true, nothing served).
 */
export async function serveNext(state: ConnectionState, options: ConnectionOptions, stale: () => boolean = () => false): Promise<boolean> {
  const { stream } = state;
  const reader = new RequestReader(stream, options.limits, options.timers, state.reader);
  let head: RequestHead | undefined;
  try {
    head = await reader.readHead(state.first ? options.limits.headTimeoutMs : options.limits.idleMs);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    await writeErrorResponse(stream, error, options.wallClockMs());
    await closeAfterResponse(stream, reader);
    return false;
  }
  if (head === undefined) {
    stream.close(); // idle past the keep-alive time, or the client closed
    return false;
  }
  if (stale()) {
    // Newer code was installed while this waited for the request (an idle keep-alive
    // connection): the request is theirs. The head goes back for them to read.
    reader.unreadHead();
    state.reader = reader.state();
    return true;
  }
  const served = serveRequest(stream, reader, head, options);
  if (!(served instanceof Promise ? await served : served)) {
    await closeAfterResponse(stream, reader);
    return false;
  }
  state.reader = reader.state();
  state.first = false;
  return true;
}

/** A failure of the stream itself (a reset, a timeout): nothing more can be said on it. */
export function isStreamFailure(error: unknown): boolean {
  return STREAM_FAILURES.has((error as { name?: unknown } | null)?.name as string);
}

/** The errors a broken connection rejects reads and writes with (skiff:net's classes). */
const STREAM_FAILURES = new Set(["ConnectionReset", "TimedOut", "SocketClosed"]);

/** What a request's body closures note for the code that answers it. */
interface Exchange {
  /** 100 Continue went out (the client was told to send its body). */
  continueSent: boolean;
  /** The body the handler read broke its framing or limits: that is the answer. */
  bodyFailure: HttpError | undefined;
}

/**
 * One request; true when the connection may carry another. A request the handler answers
 * at once, with a response the stream takes at once, is served without a promise (the
 * common case costs no promise job); anything that waits returns a promise.
 */
function serveRequest(stream: ByteStream, reader: RequestReader, head: RequestHead, options: ConnectionOptions): boolean | Promise<boolean> {
  const exchange: Exchange = { continueSent: false, bodyFailure: undefined };
  // A request without a body (most are) needs none of the closures that read one.
  const nextPiece = head.body.kind === "none" ? noBody : reader.body(head, async () => {
    if (head.expectContinue && head.version === "1.1" && !exchange.continueSent) {
      exchange.continueSent = true;
      await stream.write(CONTINUE);
    }
  });
  // The classes and the handler are read together, with no await between: one generation's.
  const web = options.web?.() ?? (globalClasses ??= { Request, Response, ReadableStream });
  const request = makeRequest(web, head, options.localAuthority, nextPiece === noBody ? noBody : async () => {
    try {
      return await nextPiece();
    } catch (error) {
      if (error instanceof HttpError) exchange.bodyFailure = error;
      throw error;
    }
  });
  if (request instanceof HttpError) return writeErrorResponse(stream, request, options.wallClockMs()).then(() => false);

  const answer = callHandler(web, request, options);
  if (answer instanceof Promise) return answer.then((response) => respond(stream, head, options, exchange, nextPiece, response));
  return respond(stream, head, options, exchange, nextPiece, answer);
}

/** Writes the handler's response, then drops what it left unread of the body: true when another request may follow. */
function respond(
  stream: ByteStream, head: RequestHead, options: ConnectionOptions, exchange: Exchange,
  nextPiece: () => Promise<Uint8Array | undefined>, response: Response,
): boolean | Promise<boolean> {
  if (exchange.bodyFailure !== undefined) {
    // The handler read a body that broke its framing or limits: answer that, not the handler.
    return writeErrorResponse(stream, exchange.bodyFailure, options.wallClockMs()).then(() => false);
  }
  // A client that sent Expect: 100-continue and got no 100 holds its body back: after this
  // response the stream is ambiguous (the body may still come), so it is the last.
  const bodyWithheld = head.body.kind !== "none" && head.expectContinue && !exchange.continueSent;
  const written = writeResponse(stream, response, {
    head: head.method === "HEAD",
    version: head.version,
    keepAlive: head.keepAlive && !bodyWithheld,
    dateMs: options.wallClockMs(),
    timers: options.timers,
  });
  if (written instanceof Promise) return written.then((result) => afterResponse(head, result, nextPiece));
  return afterResponse(head, written, nextPiece);
}

function afterResponse(head: RequestHead, written: WriteResult, nextPiece: () => Promise<Uint8Array | undefined>): boolean | Promise<boolean> {
  if (!written.keepAlive) return false;
  if (head.body.kind === "none") return true;
  return dropUnreadBody(nextPiece);
}

/** What the handler did not read of the body is read and dropped, within the limits: false when that fails. */
async function dropUnreadBody(nextPiece: () => Promise<Uint8Array | undefined>): Promise<boolean> {
  try {
    while ((await nextPiece()) !== undefined) { /* discard */ }
  } catch {
    return false;
  }
  return true;
}

/** The body of a request that has none. */
function noBody(): Promise<undefined> {
  return Promise.resolve(undefined);
}

/** The web Request for `head`, or the HttpError to answer when its target is no URL. */
function makeRequest(web: WebClasses, head: RequestHead, localAuthority: string, nextPiece: () => Promise<Uint8Array | undefined>): Request | HttpError {
  const authority = head.host ?? localAuthority;
  let url: string;
  if (head.target.startsWith("/")) url = `http://${authority}${head.target}`;
  else if (head.target === "*" && head.method === "OPTIONS") url = `http://${authority}/`;
  else if (/^https?:\/\//i.test(head.target)) url = head.target; // absolute-form (RFC 9112 §3.2.2)
  else return new HttpError(400, `Cannot serve request-target "${head.target.slice(0, 80)}": not an origin-form path or an http URL`);

  // The URL is parsed once, by the Request constructor (a URL that does not parse is a
  // TypeError there: 400 below), and the fields are copied once, into its Headers.
  const hasBody = head.body.kind !== "none" && head.method !== "GET" && head.method !== "HEAD";
  const body = hasBody
    ? new web.ReadableStream<Uint8Array>({
        async pull(controller) {
          const piece = await nextPiece();
          if (piece === undefined) controller.close();
          else controller.enqueue(piece.slice()); // a copy: the reader's buffer moves on
        },
      }, { highWaterMark: 0 }) // pull only when the handler reads: no 100 Continue for a body it never wants
    : null;
  try {
    // The parser checked the fields: the factory skips the constructor's checks of them (server_request.ts).
    const fromServer = serverRequestFactory(web.Request);
    if (fromServer !== undefined) return fromServer(url, head.method, head.headers, body);
    return new web.Request(url, { method: head.method, headers: head.headers as [string, string][], body, duplex: "half" } as RequestInit);
  } catch (error) {
    const message = (error as Error).message;
    if (/Failed to parse URL/.test(message)) return new HttpError(400, `Cannot serve request-target "${head.target.slice(0, 80)}": not a valid URL`);
    return new HttpError(400, `Cannot make a Request of ${head.method} ${head.target.slice(0, 80)}: ${message}`);
  }
}

/** The handler's third argument, made once per connection's options rather than for every request. */
const contexts = new WeakMap<ConnectionOptions, FetchContext>();

function contextFor(options: ConnectionOptions): FetchContext {
  let context = contexts.get(options);
  if (context === undefined) {
    context = {
      waitUntil(promise) {
        Promise.resolve(promise).catch((error: unknown) => options.reportError("a waitUntil promise rejected", error));
      },
      passThroughOnException() { /* there is no origin to pass through to */ },
    };
    contexts.set(options, context);
  }
  return context;
}

/** The handler's Response, or a 500 when it throws or returns something else. */
function callHandler(web: WebClasses, request: Request, options: ConnectionOptions): Response | Promise<Response> {
  let answer: unknown;
  try {
    answer = options.handler(request, options.env, contextFor(options));
  } catch (error) {
    return handlerFailed(web, request, options, error);
  }
  if (isThenable(answer)) {
    return Promise.resolve(answer).then((response) => checked(web, request, options, response), (error: unknown) => handlerFailed(web, request, options, error));
  }
  return checked(web, request, options, answer);
}

/** What `await` would resolve: a thing with a callable `then`. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** The handler's answer when it is a Response of the serving generation; else a 500. */
function checked(web: WebClasses, request: Request, options: ConnectionOptions, answer: unknown): Response {
  if (answer instanceof web.Response) return answer;
  return handlerFailed(web, request, options, new TypeError(`fetch() returned ${answer === null ? "null" : typeof answer}, not a Response`));
}

/** Reports the handler's failure (with its stack) and answers 500. */
function handlerFailed(web: WebClasses, request: Request, options: ConnectionOptions, error: unknown): Response {
  options.reportError(`fetch(${request.method} ${new URL(request.url).pathname}) failed`, error);
  return new web.Response("Internal Server Error\n", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
}
