/**
 * The kv server answers the corpus (corpus.ts: memcached 1.6.18's bytes) exactly, however
 * the client's bytes are cut: in one read, in two reads split at every byte, and one byte
 * per read. The large cases (values near 1 MiB) are cut at a few places and in
 * TCP-segment-sized reads instead of at every byte; the few whose answer depends on the
 * reads (over 2048 bytes without a line end) only in one read.
 */
import test from "ava";
import { CORPUS, type CorpusCase } from "./corpus.ts";
import { latin1, TestClient, testServer } from "./helpers/kv_session.ts";

async function answer(sent: Uint8Array, pieces: readonly number[]): Promise<{ output: string; closed: boolean }> {
  const { server } = testServer();
  const client = new TestClient(server);
  const output = await client.send(sent, pieces);
  return { output, closed: client.closed };
}

function check(t: import("ava").ExecutionContext, testCase: CorpusCase, got: { output: string; closed: boolean }, how: string): boolean {
  if (got.output === testCase.expect && got.closed === (testCase.closes ?? false)) return true;
  t.fail(`${testCase.name}, ${how}: got ${JSON.stringify(got.output.slice(0, 400))}${got.closed ? " and a close" : ""}, memcached answers ${JSON.stringify(testCase.expect.slice(0, 400))}${testCase.closes === true ? " and closes" : ""}`);
  return false;
}

for (const testCase of CORPUS) {
  test(`corpus: ${testCase.name}`, async (t) => {
    const sent = latin1(testCase.send);
    if (!check(t, testCase, await answer(sent, []), "in one read")) return;
    if (testCase.readsMatter === true) return t.pass();
    const cuts = testCase.large === true
      ? [1, 17, sent.indexOf(0x0a) + 1, sent.length >> 1, sent.length - 3, sent.length - 1]
      : Array.from({ length: sent.length - 1 }, (_, i) => i + 1);
    for (const cut of cuts) {
      if (!check(t, testCase, await answer(sent, [cut]), `split after byte ${cut}`)) return;
    }
    const pieceSize = testCase.large === true ? 1448 : 1;
    const pieces = Array.from({ length: Math.ceil(sent.length / pieceSize) - 1 }, (_, i) => (i + 1) * pieceSize);
    check(t, testCase, await answer(sent, pieces), `in reads of ${pieceSize} byte${pieceSize === 1 ? "" : "s"}`);
    t.pass();
  });
}
