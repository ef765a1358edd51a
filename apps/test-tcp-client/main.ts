/**
 * test-tcp-client: a TCP client on skiff:net. It connects to env.host:env.port (a Linux
 * echo server in the tests), writes env.bytes bytes of a fixed pattern while reading the
 * echo back at the same time, half-closes, and checks every byte that comes back against
 * the pattern. Lines:
 *   tcp-client: connected from ADDRESS:PORT
 *   tcp-client: sent N bytes, received N bytes, all matching
 *   tcp-client: failed: …              (status 1; ConnectionRefused and others by name)
 * Making the pattern is seconds of synchronous work under TCG for 10 MB: the tests raise
 * the watchdog's budget (cpubudget= on the command line).
 */
import { connect } from "skiff:net";

const CHUNK = 16 * 1024;

/** The byte at `index` of the pattern: the same generator the tests' Linux side uses. */
function pattern(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export default {
  async main(env: Record<string, string | undefined>): Promise<number> {
    const total = Number(env.bytes ?? 1 << 20);
    const data = pattern(total);
    try {
      const connection = await connect({ host: env.host ?? "10.0.0.1", port: Number(env.port ?? 7) });
      console.log(`tcp-client: connected from ${connection.local.address}:${connection.local.port}`);
      const writing = (async () => {
        for (let at = 0; at < total; at += CHUNK) await connection.write(data.subarray(at, Math.min(total, at + CHUNK)));
        connection.closeWrite();
      })();
      let received = 0;
      for (let chunk = await connection.read(); chunk !== null; chunk = await connection.read()) {
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] !== data[received + i]) {
            console.log(`tcp-client: failed: byte ${received + i} is ${chunk[i]}, expected ${data[received + i]}`);
            connection.abort();
            return 1;
          }
        }
        received += chunk.length;
      }
      await writing;
      connection.close();
      console.log(`tcp-client: sent ${total} bytes, received ${received} bytes, ${received === total ? "all matching" : "SHORT"}`);
      return received === total ? 0 : 1;
    } catch (error) {
      console.log(`tcp-client: failed: ${(error as Error).name}: ${(error as Error).message}`);
      return 1;
    }
  },
};
