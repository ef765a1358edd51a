/**
 * Drives apps/kv sessions in memory: a server on a virtual clock, and a client that sends
 * bytes in chosen pieces and gets back what the server answered once it has nothing left
 * to do, and whether it closed the connection.
 */
import { KvServer } from "../../../../apps/kv/server.ts";
import { serveConnection } from "../../../../apps/kv/session.ts";
import { MemoryStream } from "./memory_stream.ts";

export const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, "latin1"));

/** A clock the test moves: Unix ms, starting at 2026-01-01. */
export class VirtualClock {
  ms = Date.UTC(2026, 0, 1);
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface TestServerOptions {
  readonly limitBytes?: number;
  readonly clock?: VirtualClock;
}

export function testServer(options: TestServerOptions = {}): { server: KvServer; clock: VirtualClock; logs: string[] } {
  const clock = options.clock ?? new VirtualClock();
  const logs: string[] = [];
  const server = new KvServer({ limitBytes: options.limitBytes ?? 64 << 20, now: clock.now, port: 11211, log: (line) => logs.push(line) });
  return { server, clock, logs };
}

/** One client connection to `server`. */
export class TestClient {
  readonly stream: MemoryStream;
  readonly done: Promise<void>;
  #seen = 0;

  /** `room`: what the stream's writeSome takes a call (MemoryStream). */
  constructor(server: KvServer, room = Infinity) {
    this.stream = new MemoryStream(room);
    this.done = serveConnection(this.stream, server);
  }

  /** Sends `request` (latin1) in the given pieces (default one), waits, and returns what was answered since the last call. */
  async send(request: string | Uint8Array, pieces: readonly number[] = []): Promise<string> {
    const bytes = typeof request === "string" ? latin1(request) : request;
    let at = 0;
    for (const cut of [...pieces, bytes.length]) {
      if (this.closed) break;
      this.stream.send(bytes.subarray(at, cut));
      at = cut;
      await this.stream.idle();
    }
    const output = this.stream.output();
    const fresh = output.slice(this.#seen);
    this.#seen = output.length;
    return fresh;
  }

  get closed(): boolean {
    return this.stream.closed !== "no";
  }
}
