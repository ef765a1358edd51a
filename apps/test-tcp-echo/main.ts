/**
 * test-tcp-echo: a TCP echo server on skiff:net. It listens on env.port (default 7),
 * echoes every byte of each connection back until the peer closes its side, then closes,
 * and exits 0 after env.connections connections (default 1). Lines:
 *   tcp-echo: listening on PORT
 *   tcp-echo: connection N from ADDRESS:PORT echoed B bytes
 */
import { listen } from "skiff:net";

export default {
  async main(env: Record<string, string | undefined>): Promise<number> {
    const port = Number(env.port ?? 7);
    const connections = Number(env.connections ?? 1);
    const server = await listen({ port });
    console.log(`tcp-echo: listening on ${port}`);
    for (let served = 1; served <= connections; served++) {
      const connection = await server.accept();
      let bytes = 0;
      for (let chunk = await connection.read(); chunk !== null; chunk = await connection.read()) {
        bytes += chunk.length;
        await connection.write(chunk);
      }
      connection.close();
      console.log(`tcp-echo: connection ${served} from ${connection.remote.address}:${connection.remote.port} echoed ${bytes} bytes`);
    }
    server.close();
    return 0;
  },
};
