import test from "ava";
import { readFileSync } from "node:fs";
import { Harness, LOCAL, LOCAL_PORT, REMOTE } from "./tcp_helpers/harness.ts";
import { internetChecksum } from "../../../kernel-ts/hal/checksum.ts";
import { fillChecksum } from "../../../kernel-ts/net/wire/tcp.ts";

// No segment can throw out of TcpStack or grow it without bound: Linux's segments from
// the fixtures, mutated, plus random bytes, into a stack with a listener and an open
// connection (seeded; the seed is in the messages).

const fixtures: Array<{ hex: string }> = JSON.parse(readFileSync(new URL("../../fixtures/net/tcp_linux_segments.json", import.meta.url), "utf8")).segments;
const corpus = fixtures.map((f) => Uint8Array.from(f.hex.match(/../g)!.map((b) => parseInt(b, 16))));

test("100 000 mutated and random segments: nothing throws, state stays bounded", (t) => {
  const seed = 20261128;
  let s = seed;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  const h = new Harness(t, { sack: true, timestamps: true, windowScaling: true, synQueueLimit: 16 });
  h.stack.listen({ address: LOCAL, port: LOCAL_PORT }, 4);
  h.connect();
  const ip = { src: REMOTE, dst: LOCAL };
  t.notThrows(() => {
    for (let i = 0; i < 100_000; i++) {
      let segment: Uint8Array;
      if (next() % 4 === 0) segment = Uint8Array.from({ length: next() % 80 }, () => next() & 0xff);
      else {
        segment = corpus[next() % corpus.length]!.slice();
        for (let flips = next() % 4; flips >= 0; flips--) segment[next() % segment.length] = next() & 0xff;
        if (next() % 2 === 0) { segment[2] = LOCAL_PORT >> 8; segment[3] = LOCAL_PORT & 0xff; }
        if (segment.length >= 20 && next() % 3 !== 0) fillChecksum(segment, ip, internetChecksum);
      }
      h.now += next() % 50;
      h.stack.input(h.now, ip, segment, false);
      if (i % 16 === 0) h.stack.output(h.now, () => true);
    }
  }, `seed ${seed}`);
  t.true(h.stack.connectionCount <= 16 + 4 + 1, `seed ${seed}: ${h.stack.connectionCount} TCBs`);
  t.true(h.stack.stats.rx.malformed + h.stack.stats.rx.badChecksum > 0);
});
