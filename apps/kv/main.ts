/**
 * kv: a memcached server. Speaks memcached's text protocol on env.port (default 11211)
 * to any number of clients at once, and keeps at most env.memory_mb MiB of items
 * (default 16, at least 2), evicting the least recently used. env.verbosity (0–2) logs
 * connections, then every command.
 *
 * The cap counts what items cost the JS heap (item.ts), but the kernel, the TCP buffers
 * and data in flight need room beside it: give the VM about 2 × memory_mb + 32 MiB (the
 * default 64M VM holds the default 16; 128M holds 32). Measured under qemu by filling
 * the cache with 50-byte and 1000-byte values; 32 in a 64M VM ran QuickJS out of memory.
 * Lines:
 *   kv: listening on PORT
 */
import { listen } from "skiff:net";
import { KvServer, MIN_LIMIT_BYTES, serveConnection } from "./mod.ts";

const MIB = 1024 * 1024;
/** Fits the default 64M VM with room to spare (see above). */
const DEFAULT_MEMORY_MB = 16;

/** env[name] as an integer in [min, max], or `fallback` when absent; anything else is an error that names it. */
function integerSetting(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new RangeError(`Cannot start kv: env.${name}=${text} is not an integer in ${min}–${max}`);
  }
  return value;
}

export default {
  async main(env: Record<string, string | undefined>): Promise<number> {
    const port = integerSetting(env, "port", 11211, 1, 65535);
    const memoryMb = integerSetting(env, "memory_mb", DEFAULT_MEMORY_MB, Math.ceil(MIN_LIMIT_BYTES / MIB), 1 << 20);
    const verbosity = integerSetting(env, "verbosity", 0, 0, 2);
    const server = new KvServer({ limitBytes: memoryMb * MIB, now: () => Date.now(), port, verbosity, log: (line) => console.log(line) });
    const listener = await listen({ port });
    console.log(`kv: listening on ${port}`);
    // Each connection is served on its own; a bug in one (not a peer's failure, which the
    // session absorbs) stops the server with its stack, as an app's failure should.
    return new Promise<number>((_, reject) => {
      const acceptForever = async (): Promise<never> => {
        for (;;) {
          const connection = await listener.accept();
          connection.noDelay = true; // answers are small and the client waits for each
          serveConnection(connection, server).catch(reject);
        }
      };
      acceptForever().catch(reject);
    });
  },
};
