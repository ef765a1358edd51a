/**
 * echo: the TCP echo service (RFC 862) on skiff:net — every byte a client sends comes back,
 * until it closes its side. Many clients at once, each served by its own task; a client
 * that resets is logged and the server carries on. It runs until the machine stops.
 *   env.port   the port (default 7)
 * Lines:
 *   echo: listening on PORT
 *   echo: ADDRESS:PORT echoed N bytes           (a client closed)
 *   echo: ADDRESS:PORT failed: NAME: message    (a client reset or timed out)
 */
import { listen, type Connection } from "skiff:net";

async function serve(connection: Connection): Promise<void> {
  const peer = `${connection.remote.address}:${connection.remote.port}`;
  let bytes = 0;
  try {
    for (let chunk = await connection.read(); chunk !== null; chunk = await connection.read()) {
      bytes += chunk.length;
      await connection.write(chunk);
    }
    connection.close();
    console.log(`echo: ${peer} echoed ${bytes} bytes`);
  } catch (error) {
    connection.abort();
    console.log(`echo: ${peer} failed: ${(error as Error).name}: ${(error as Error).message}`);
  }
}

export default {
  async main(env: Record<string, string | undefined>): Promise<number> {
    const port = Number(env.port ?? 7);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      console.log(`echo: cannot listen on env.port=${env.port}: not a port number (1–65535)`);
      return 2;
    }
    const server = await listen({ port, backlog: 64 });
    console.log(`echo: listening on ${port}`);
    for (;;) void serve(await server.accept());
  },
};
