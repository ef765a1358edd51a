/**
 * session: one client connection, from its first byte to its close. Reads whatever
 * arrives, runs every complete request in it in order (pipelining), and writes the
 * answers before reading again, so a client that does not read its answers stops being
 * read (backpressure) instead of growing a queue here. Like memcached, a hang-up (a line
 * too long) drops the answers of that read not yet sent; quit sends them first.
 *
 * The connection is a ByteStream, which skiff:net's Connection is and a test's fake can
 * be. A stream that fails (reset by the peer, timed out) is an expected end: counted,
 * logged at verbosity 1, and the session returns. Anything else thrown is a bug and
 * propagates.
 */
import { execute } from "./dispatch.ts";
import { Reply } from "./reply.ts";
import { RequestParser } from "./request_parser.ts";
import type { KvServer } from "./server.ts";

export interface ByteStream {
  /** The next bytes, or null once the peer has closed its side. */
  read(): Promise<Uint8Array | null>;
  /** Resolves once the bytes are taken (buffered for sending). */
  write(bytes: Uint8Array): Promise<void>;
  /** Buffers what fits of `bytes` now, without a promise: how many it took (skiff:net's Connection has it). */
  writeSome?(bytes: Uint8Array): number;
  /** Closes gracefully, after what was written. */
  close(): void;
  /** Closes at once (TCP RST). */
  abort(): void;
}

/** Answers are sent once this many bytes wait, even mid-batch, so one burst of gets cannot pile up a huge reply. */
const FLUSH_BYTES = 256 * 1024;
/** Small parts are gathered into writes of about this size; larger ones go out as they are. */
const COALESCE_BYTES = 16 * 1024;

/** The stream failed under us: the session ends. */
class StreamFailed {
  constructor(readonly cause: unknown) {}
}

export async function serveConnection(stream: ByteStream, server: KvServer): Promise<void> {
  const connections = server.connections;
  const id = ++connections.total;
  connections.current++;
  if (server.verbosity >= 1) server.log(`kv: connection ${id} opened`);
  try {
    await serve(stream, server, id);
    stream.close();
    if (server.verbosity >= 1) server.log(`kv: connection ${id} closed`);
  } catch (error) {
    if (!(error instanceof StreamFailed)) throw error;
    stream.abort();
    if (server.verbosity >= 1) server.log(`kv: connection ${id} failed: ${describe(error.cause)}`);
  } finally {
    connections.current--;
  }
}

async function serve(stream: ByteStream, server: KvServer, id: number): Promise<void> {
  const parser = new RequestParser();
  const reply = new Reply();
  for (;;) {
    let chunk: Uint8Array | null;
    try {
      chunk = await stream.read(); // awaited here, not through guard(): one promise job a read, not three
    } catch (error) {
      throw new StreamFailed(error);
    }
    if (chunk === null) return;
    server.connections.bytesRead += chunk.length;
    parser.push(chunk);
    for (let request = parser.next(); request !== undefined; request = parser.next()) {
      if (server.verbosity >= 2 && request.type === "command") server.log(`kv: ${id} < ${request.words.join(" ")}`);
      const outcome = execute(request, server, reply);
      if (outcome === "close") await send(stream, reply, server);
      if (outcome !== "open") return;
      if (reply.byteLength >= FLUSH_BYTES) await send(stream, reply, server);
    }
    const sent = send(stream, reply, server);
    if (sent !== undefined) await sent; // most replies leave at once: no promise to wait for
  }
}

/**
 * Writes what the reply holds: small parts gathered into one buffer, large ones as they are.
 * A small reply that the stream takes at once (writeSome) is sent without a promise:
 * undefined then, else a promise of the rest.
 */
function send(stream: ByteStream, reply: Reply, server: KvServer): Promise<void> | undefined {
  const length = reply.byteLength;
  if (length === 0) return undefined;
  if (length < COALESCE_BYTES && stream.writeSome !== undefined) {
    const parts = reply.take();
    const joined = parts.length === 1 ? parts[0]! : join(parts, length);
    const taken = stream.writeSome(joined);
    server.connections.bytesWritten += taken;
    return taken === joined.length ? undefined : write(stream, joined.subarray(taken), server);
  }
  return sendParts(stream, reply, server);
}

async function sendParts(stream: ByteStream, reply: Reply, server: KvServer): Promise<void> {
  const parts = reply.take();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const joined = pending.length === 1 ? pending[0]! : join(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await write(stream, joined, server);
  };
  for (const part of parts) {
    if (part.length >= COALESCE_BYTES) {
      await flush();
      await write(stream, part, server);
    } else {
      pending.push(part);
      pendingBytes += part.length;
      if (pendingBytes >= COALESCE_BYTES) await flush();
    }
  }
  await flush();
}

async function write(stream: ByteStream, bytes: Uint8Array, server: KvServer): Promise<void> {
  await guard(stream.write(bytes));
  server.connections.bytesWritten += bytes.length;
}

function join(parts: readonly Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let at = 0;
  for (let i = 0; i < parts.length; i++) { // indexed: for-of makes an iterator object per reply in QuickJS
    const part = parts[i]!;
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/** The stream's own failures become StreamFailed; the session's code never throws one. */
async function guard<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw new StreamFailed(error);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
