/**
 * bench-tcp: the guest side of the network benchmark (bench/net). One listener per role,
 * all served at once; the Linux guest's bench/net/linux_server.c plays the same roles on
 * the same ports, so the host's measurements (bench/net/host_peer.ts) are like for like.
 *   5001 sink     read until the peer half-closes, then close
 *   5002 source   write env.bytes bytes (default 32 MiB), then close
 *   5003 echo     echo every byte back until the peer half-closes (Nagle off)
 *   5004 accept   accept and close at once (connections per second)
 *   5009 stop     the app exits 0
 * Lines:
 *   bench-tcp: listening on 5001 5002 5003 5004 5009
 *   bench-tcp: ROLE connection N: B bytes
 *   bench-tcp: stopping after N connections
 */
import { listen, type Connection, type Listener } from "skiff:net";

const CHUNK = 64 * 1024;

async function sink(connection: Connection): Promise<number> {
  let bytes = 0;
  for (let chunk = await connection.read(); chunk !== null; chunk = await connection.read()) bytes += chunk.length;
  return bytes;
}

async function source(connection: Connection, total: number): Promise<number> {
  const block = new Uint8Array(CHUNK).map((_, i) => i & 0xff);
  for (let sent = 0; sent < total; sent += CHUNK) await connection.write(block.subarray(0, Math.min(CHUNK, total - sent)));
  return total;
}

async function echo(connection: Connection): Promise<number> {
  connection.noDelay = true;
  let bytes = 0;
  for (let chunk = await connection.read(); chunk !== null; chunk = await connection.read()) {
    bytes += chunk.length;
    await connection.write(chunk);
  }
  return bytes;
}

/** Accepts forever, serving each connection with `serve` in turn; logs every `logEvery`th. */
async function serveEach(listener: Listener, role: string, serve: (connection: Connection) => Promise<number>, logEvery: number, counter: { connections: number }): Promise<void> {
  for (let n = 1; ; n++) {
    const connection = await listener.accept();
    counter.connections++;
    try {
      const bytes = await serve(connection);
      connection.close();
      if (n % logEvery === 0) console.log(`bench-tcp: ${role} connection ${n}: ${bytes} bytes`);
    } catch (error) {
      connection.abort();
      console.log(`bench-tcp: ${role} connection ${n} failed: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
}

export default {
  async main(env: Record<string, string | undefined>): Promise<number> {
    const total = Number(env.bytes ?? 32 << 20);
    const counter = { connections: 0 };
    const listeners = await Promise.all([5001, 5002, 5003, 5004].map((port) => listen({ port, backlog: 64 })));
    const [sinkPort, sourcePort, echoPort, acceptPort] = listeners as [Listener, Listener, Listener, Listener];
    const stop = await listen({ port: 5009 });
    console.log("bench-tcp: listening on 5001 5002 5003 5004 5009");
    const serving = [
      serveEach(sinkPort, "sink", sink, 1, counter),
      serveEach(sourcePort, "source", (connection) => source(connection, total), 1, counter),
      serveEach(echoPort, "echo", echo, 1, counter),
      serveEach(acceptPort, "accept", async () => 0, 1000, counter),
    ];
    for (const run of serving) run.catch(() => {}); // ListenerClosed once the app stops
    const last = await stop.accept();
    last.close();
    console.log(`bench-tcp: stopping after ${counter.connections} connections`);
    for (const listener of listeners) listener.close();
    stop.close();
    await last.closed().catch(() => {});
    return 0;
  },
};
