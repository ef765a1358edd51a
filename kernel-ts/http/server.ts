/**
 * server: an HTTP/1.1 server on a skiff:net listener — accept, and serve each connection
 * concurrently, until the listener closes. `close()` stops accepting; connections in flight
 * finish their current request. This is the kernel-resident driver: each request of a
 * connection is served by the HTTP module's current code (code_slot.ts), so a reload of
 * that module takes effect at the next request.
 */

import { isStreamFailure, type ConnectionOptions, type ConnectionState } from "./connection.ts";
import { httpCode } from "./code_slot.ts";
import type { ByteStream } from "./request_reader.ts";

/** Serves requests on `stream` until either side is done; never rejects. */
export async function serveConnection(stream: ByteStream, options: ConnectionOptions): Promise<void> {
  const state: ConnectionState = { stream, reader: undefined, first: true };
  let code = httpCode.current;
  const stale = (): boolean => httpCode.current !== code; // one closure per connection, not per request
  try {
    for (;;) {
      code = httpCode.current;
      if (!(await code.serveNext(state, options, stale))) break;
    }
  } catch (error) {
    // The connection broke (a reset, a timeout): nothing more can be said on it. Anything
    // else is a fault in the server or the web globals, and is reported, not hidden.
    if (!isStreamFailure(error)) options.reportError("serving a connection failed", error);
    stream.abort();
  }
}

/** What the server needs of a listener (skiff:net's Listener has it). */
export interface StreamListener {
  accept(): Promise<ByteStream & { readonly local: { address: string; port: number }; noDelay: boolean }>;
  close(): void;
}

export interface HttpServer {
  /** Connections being served now. */
  readonly active: number;
  /** Resolves when the listener has closed and every connection has ended. */
  readonly done: Promise<void>;
  close(): void;
}

export function serveHttp(listener: StreamListener, options: Omit<ConnectionOptions, "localAuthority">): HttpServer {
  let active = 0;
  let closing = false;
  const running = new Set<Promise<void>>();
  const done = (async () => {
    for (;;) {
      let connection;
      try {
        connection = await listener.accept();
      } catch (error) {
        if (!closing) options.reportError("the HTTP listener failed", error);
        break;
      }
      active += 1;
      // Responses are written whole or chunk by chunk, each meant to leave at once: Nagle
      // would hold a chunk (or a 100 Continue) for the client's delayed ACK.
      connection.noDelay = true;
      const serving = serveConnection(connection, { ...options, localAuthority: `${connection.local.address}:${connection.local.port}` })
        .finally(() => { active -= 1; running.delete(serving); });
      running.add(serving);
    }
    await Promise.all([...running]);
  })();
  return {
    get active() { return active; },
    done,
    close() {
      closing = true;
      listener.close();
    },
  };
}
