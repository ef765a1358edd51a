/**
 * The corpus (corpus.ts) is memcached's own behaviour: every case is replayed against
 * Debian's memcached 1.6.18, a fresh process per case on loopback, in one write, and must
 * get exactly the recorded bytes (and close when recorded). The same cases run against
 * the kv server in corpus.test.ts, so the two servers answer alike.
 */
import test from "ava";
import { CORPUS } from "./corpus.ts";
import { exchange, startMemcached } from "./helpers/memcached.ts";

for (const testCase of CORPUS) {
  test(`memcached answers the corpus: ${testCase.name}`, async (t) => {
    const server = await startMemcached(t);
    const got = await exchange(server.port, Buffer.from(testCase.send, "latin1"), testCase.expect.length);
    t.is(got.output, testCase.expect);
    t.is(got.closed, testCase.closes ?? false, "whether memcached closed the connection");
  });
}
