/**
 * request_reader: the input side of one HTTP connection — bytes from the stream buffered,
 * a request head found and parsed, then that request's body read as it is framed
 * (Content-Length or chunked) — leaving whatever follows for the next pipelined request.
 *
 * Time limits come from the caller's deadlines (the connection sets them): readHead() fails
 * with HttpError 408 when the head has not all arrived by its deadline (a slowloris client
 * is cut off however slowly it trickles), and the body's reads fail the same way when no
 * byte arrives within the idle limit. A deadline is a promise that rejects; the reader
 * races every read against it.
 */

import { ChunkedDecoder } from "./chunked.ts";
import { HttpError } from "./errors.ts";
import type { HttpLimits } from "./limits.ts";
import { findHeadEnd, parseRequestHead, type RequestHead } from "./request_head.ts";

/** What the server needs of a connection (skiff:net's Connection has it). */
export interface ByteStream {
  /** The next bytes, or null at the peer's end of stream. */
  read(): Promise<Uint8Array | null>;
  /**
   * read(), or "timeout" when nothing came within `ms`, the bytes that come later left for
   * the next read (skiff:net's Connection has it). Without it the reader races read() with
   * a timer of its own.
   */
  readWithin?(ms: number): Promise<Uint8Array | null | "timeout">;
  /** Resolves when the bytes are buffered for sending (backpressure). */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Buffers what fits of `bytes` now, without waiting: how many it took (skiff:net's
   * Connection has it). The rest goes through write(). Without it every write waits.
   */
  writeSome?(bytes: Uint8Array): number;
  closeWrite(): void;
  close(): void;
  abort(): void;
}

/** Timers from the kernel's loop (the scheduler's). */
export interface HttpTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** Monotonic milliseconds. */
  nowMs(): number;
}

const EMPTY = new Uint8Array(0);

/**
 * A reader's state between two requests, as data: what a later reader — one made by newer
 * code, after a reload of the HTTP module (code_slot.ts) — picks up where this one stopped.
 */
export interface ReaderState {
  /** Bytes read past the last request (a pipelined request's start). */
  readonly buffer: Uint8Array;
  /** The stream reached its end. */
  readonly ended: boolean;
  /** A stream read still in flight (its bytes belong to the next request). */
  readonly pending: Promise<Uint8Array | null> | undefined;
}

export class RequestReader {
  #buffer: Uint8Array = EMPTY;
  #ended = false;
  /** Reads from the stream in flight, shared so a timed-out race does not lose bytes. */
  #pending: Promise<Uint8Array | null> | undefined;
  /** The buffer as it was before the last head was taken from it (unreadHead). */
  #beforeHead: Uint8Array | undefined;

  constructor(readonly stream: ByteStream, readonly limits: HttpLimits, readonly timers: HttpTimers, state?: ReaderState) {
    if (state !== undefined) {
      this.#buffer = state.buffer;
      this.#ended = state.ended;
      this.#pending = state.pending;
    }
  }

  /** Puts the head readHead just returned back in front of the buffer, for other code to read it again. */
  unreadHead(): void {
    if (this.#beforeHead === undefined) throw new Error("Cannot unread a request head: none was read");
    this.#buffer = this.#beforeHead;
    this.#beforeHead = undefined;
  }

  /** This reader's state, for the reader of the next request. */
  state(): ReaderState {
    return { buffer: this.#buffer, ended: this.#ended, pending: this.#pending };
  }

  /** True when bytes of a next request are already buffered. */
  get hasBuffered(): boolean {
    return this.#buffer.length > 0;
  }

  /**
   * The next request's head; undefined when the peer closed cleanly between requests.
   * `firstByteMs` bounds the wait for the first byte (the keep-alive idle time): undefined
   * too when it passes with nothing buffered. From the first byte on, the whole head must
   * arrive within limits.headTimeoutMs.
   */
  async readHead(firstByteMs: number): Promise<RequestHead | undefined> {
    if (this.#buffer.length === 0) {
      const first = await this.#readWithin(firstByteMs);
      if (first === null) this.#ended = true;
      if (first === "timeout" || first === null) return undefined;
      this.#append(first);
    }
    const deadline = this.timers.nowMs() + this.limits.headTimeoutMs;
    for (;;) {
      const end = findHeadEnd(this.#buffer, this.limits);
      if (end !== undefined) {
        const head = parseRequestHead(this.#buffer.subarray(end.start, end.end), this.limits);
        this.#beforeHead = this.#buffer;
        this.#buffer = this.#buffer.subarray(end.end);
        return head;
      }
      const more = await this.#readWithin(deadline - this.timers.nowMs());
      if (more === "timeout") throw new HttpError(408, `Cannot read request: the head did not arrive within ${this.limits.headTimeoutMs} ms`);
      if (more === null) {
        this.#ended = true;
        throw new HttpError(400, "Cannot read request: the connection ended inside the head");
      }
      this.#append(more);
    }
  }

  /**
   * The body of the request `head` framed, as pieces; undefined once it is all read.
   * `onFirstRead` runs before the first read (to send 100 Continue).
   */
  body(head: RequestHead, onFirstRead: () => Promise<void>): () => Promise<Uint8Array | undefined> {
    const framing = head.body;
    let started = false;
    let remaining = framing.kind === "length" ? framing.length : 0;
    const decoder = framing.kind === "chunked" ? new ChunkedDecoder(this.limits.bodyBytes, this.limits.headerBytes) : undefined;
    return async () => {
      if (framing.kind === "none") return undefined;
      if (!started) {
        started = true;
        await onFirstRead();
      }
      for (;;) {
        if (decoder === undefined && remaining === 0) return undefined;
        if (decoder?.done) return undefined;
        if (this.#buffer.length === 0) {
          const more = await this.#readWithin(this.limits.bodyIdleMs);
          if (more === "timeout") throw new HttpError(408, `Cannot read request body: nothing arrived for ${this.limits.bodyIdleMs} ms`);
          if (more === null) {
            this.#ended = true;
            throw new HttpError(400, "Cannot read request body: the connection ended before the body did");
          }
          this.#append(more);
        }
        if (decoder === undefined) {
          const take = Math.min(remaining, this.#buffer.length);
          const piece = this.#buffer.subarray(0, take);
          this.#buffer = this.#buffer.subarray(take);
          remaining -= take;
          return piece;
        }
        const out = decoder.feed(this.#buffer);
        this.#buffer = this.#buffer.subarray(out.consumed);
        if (out.data.length > 0) return concat(out.data);
      }
    }
  }

  /**
   * Reads and drops what the client still sends, until it closes, `maxBytes` have come, or
   * `ms` have passed (a slowloris client does not get to hold the connection this way). A server that closes a connection with unread bytes makes
   * TCP answer them with RST (RFC 9293 §3.6.1, Linux does so too), and the client, seeing
   * the reset, may throw away the response it had not yet read — a 413 or 431 among them.
   * So a refused client is heard out for a moment first (a "lingering close").
   */
  async drain(maxBytes: number, ms: number): Promise<void> {
    let dropped = this.#buffer.length;
    this.#buffer = EMPTY;
    const deadline = this.timers.nowMs() + ms;
    while (dropped < maxBytes) {
      const more = await this.#readWithin(deadline - this.timers.nowMs());
      if (more === null) this.#ended = true;
      if (more === null || more === "timeout") return;
      dropped += more.length;
    }
  }

  #append(bytes: Uint8Array): void {
    this.#buffer = this.#buffer.length === 0 ? bytes : concat([this.#buffer, bytes]);
  }

  /**
   * The next read, or "timeout" after `ms`; the read stays pending for the next call. Every
   * caller marks the stream ended (#ended) when this gives null.
   */
  #readWithin(ms: number): Promise<Uint8Array | null | "timeout"> {
    if (this.#ended) return Promise.resolve(null);
    // A stream that keeps what comes after a timeout for the next read needs no race of ours;
    // its promise is handed on as it is (no wrapper, no promise job of our own).
    if (this.#pending === undefined && this.stream.readWithin !== undefined) return this.stream.readWithin(Math.max(0, ms));
    return this.#raceRead(ms);
  }

  /** #readWithin for a stream with read() alone: a timer against the read, which stays in #pending when the timer wins. */
  #raceRead(ms: number): Promise<Uint8Array | null | "timeout"> {
    this.#pending ??= this.stream.read();
    const pending = this.#pending;
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = this.timers.setTimeout(() => { timedOut = true; resolve("timeout"); }, Math.max(0, ms));
      pending.then((bytes) => {
        if (timedOut) return; // the read stays in #pending: the next call takes its bytes
        this.timers.clearTimeout(timer);
        this.#pending = undefined;
        if (bytes === null) this.#ended = true;
        resolve(bytes);
      }, (error: unknown) => {
        if (timedOut) return;
        this.timers.clearTimeout(timer);
        this.#pending = undefined;
        reject(error);
      });
    });
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
