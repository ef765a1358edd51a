/**
 * The corpus (corpus.ts) is memcached's own behaviour: every case is replayed against
 * Debian's memcached 1.6.18, a fresh process per case on loopback, in one write, and must
 * get exactly the recorded bytes (and close when recorded). The same cases run against
 * the kv server in corpus.test.ts, so the two servers answer alike. At most
 * MAX_RUNNING memcached processes at once, so a loaded two-core machine stays responsive.
 */
import test from "ava";
import { CORPUS } from "./corpus.ts";
import { exchange, startMemcached } from "./helpers/memcached.ts";

const MAX_RUNNING = 6;
let running = 0;
const queued: Array<() => void> = [];

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  while (running >= MAX_RUNNING) await new Promise<void>((resolve) => queued.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queued.shift()?.();
  }
}

for (const testCase of CORPUS) {
  test(`memcached answers the corpus: ${testCase.name}`, async (t) => {
    const got = await withSlot(async () => {
      const server = await startMemcached(t);
      try {
        return await exchange(server.port, Buffer.from(testCase.send, "latin1"), testCase.expect.length);
      } finally {
        server.process.kill("SIGKILL");
      }
    });
    t.is(got.output, testCase.expect);
    t.is(got.closed, testCase.closes ?? false, "whether memcached closed the connection");
  });
}
