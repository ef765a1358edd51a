import test from "ava";
import { transfer } from "./tcp_helpers/loopback.ts";

// The seed is in every test title and message: rerun one with `npx ava -m "*seed N*"`.

for (const [loss, seeds] of [[0, [1, 2]], [0.01, [3, 4, 5]], [0.05, [6, 7, 8]]] as const) {
  for (const seed of seeds) {
    test(`1 MB arrives bit-exact over a link with ${loss * 100}% loss, duplication and reordering (seed ${seed})`, (t) => {
      const r = transfer(seed, 1 << 20, loss);
      t.is(r.client.error, undefined, `seed ${seed}`);
      t.is(r.joined.length, r.data.length, `seed ${seed}: bytes received`);
      t.true(Buffer.from(r.joined).equals(Buffer.from(r.data)), `seed ${seed}: content`);
      t.is(r.server?.state, "CLOSED", `seed ${seed}: server closed`);
      t.is(r.client.state, "TIME-WAIT", `seed ${seed}: client in TIME-WAIT`);
      t.log(`seed ${seed}: ${(r.now / 1000).toFixed(2)} s virtual, ${r.stackA.stats.tx.retransmits} retransmits`);
    });
  }
}

test("1 MB with SACK, timestamps and window scaling off (plain NewReno) at 3% loss", (t) => {
  const seed = 11;
  const r = transfer(seed, 1 << 20, 0.03, { sack: false, timestamps: false, windowScaling: false });
  t.true(Buffer.from(r.joined).equals(Buffer.from(r.data)), `seed ${seed}`);
});
