/**
 * The kv server (apps/kv) on Node's TCP, on 127.0.0.1 and a free port, for running real
 * memcached clients against it in the unit tests. Each socket becomes a ByteStream; reads
 * pause the socket until the session asks again, so backpressure is the session's, as in
 * the guest. The server and its connections are closed when the test ends.
 */
import net from "node:net";
import type { ExecutionContext } from "ava";
import { KvServer } from "../../../../apps/kv/server.ts";
import { serveConnection, type ByteStream } from "../../../../apps/kv/session.ts";

class SocketStream implements ByteStream {
  readonly #socket: net.Socket;
  readonly #chunks: Uint8Array[] = [];
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      socket.pause();
      this.#wakeReader();
    });
    socket.on("end", () => { this.#ended = true; this.#wakeReader(); });
    socket.on("error", (error) => { this.#error = error; this.#wakeReader(); });
  }

  async read(): Promise<Uint8Array | null> {
    while (this.#chunks.length === 0 && !this.#ended && this.#error === undefined) {
      this.#socket.resume();
      await new Promise<void>((resolve) => { this.#wake = resolve; });
    }
    if (this.#error !== undefined) throw this.#error;
    return this.#chunks.shift() ?? null;
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.#socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    this.#socket.end();
  }

  abort(): void {
    this.#socket.destroy();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

export interface NodeKvServer {
  readonly port: number;
  readonly server: KvServer;
  /** Log lines and session failures, for failure messages. */
  readonly logs: string[];
}

export async function startNodeKvServer(t: ExecutionContext, limitBytes = 64 << 20): Promise<NodeKvServer> {
  const logs: string[] = [];
  const kv = new KvServer({ limitBytes, now: () => Date.now(), port: 0, log: (line) => logs.push(line) });
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serveConnection(new SocketStream(socket), kv).catch((error: unknown) => {
      logs.push(`session failed: ${(error as Error).stack ?? String(error)}`);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    listener.close();
  });
  return { port: (listener.address() as net.AddressInfo).port, server: kv, logs };
}
