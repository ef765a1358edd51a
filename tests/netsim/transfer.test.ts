import test from "ava";
import { describe, runTransfer } from "./sim/transfer.ts";
import { CLEAN_LINK, type LinkModel } from "./sim/wire.ts";

// Two complete Skiff stacks (Interface, SocketSet, TcpStack) on a simulated 100 Mbit/s,
// 10 ms one-way Ethernet with seeded loss, 0.5 % duplication, 1 % reordering (held up to
// 3 ms: about 25 frames at this rate) and 0.2 ms jitter. 10 MB arrive bit-exact in one
// direction and in both at once, and no stretch without progress lasts longer than the
// sender's RTO in force (backoff included) plus one round trip and the delayed-ACK timer.
//
// Each test's seed is in its title and in every failure message. Replay one with
// NETSIM_SEED=N (every test then uses that seed); NETSIM_MB=N changes the size.

const SEED = process.env.NETSIM_SEED === undefined ? undefined : Number(process.env.NETSIM_SEED);
const BYTES = Math.round(Number(process.env.NETSIM_MB ?? 10) * 1e6);

const impaired = (loss: number): LinkModel => ({ ...CLEAN_LINK, loss, duplicate: 0.005, reorder: 0.01, reorderDelay: 3, jitter: 0.2 });

const cases = [
  { loss: 0, bidirectional: false, seed: 101 },
  { loss: 0.01, bidirectional: false, seed: 102 },
  { loss: 0.05, bidirectional: false, seed: 103 },
  { loss: 0, bidirectional: true, seed: 104 },
  { loss: 0.01, bidirectional: true, seed: 105 },
  { loss: 0.05, bidirectional: true, seed: 106 },
];

for (const { loss, bidirectional, seed: defaultSeed } of cases) {
  const seed = SEED ?? defaultSeed;
  const what = bidirectional ? "both directions at once" : "one direction";
  test(`${BYTES / 1e6} MB, ${what}, ${loss * 100}% loss with duplication and reordering: bit-exact, no unexplained stall (seed ${seed})`, (t) => {
    const replay = `seed ${seed} (replay: NETSIM_SEED=${seed} npx ava tests/netsim)`;
    const report = runTransfer({ seed, bytes: BYTES, bidirectional, link: impaired(loss) });
    for (const line of describe(report)) t.log(line);
    t.deepEqual(report.errors, [], `${replay}: the connection failed`);
    for (const d of report.directions) {
      t.is(d.received, BYTES, `${replay}: ${d.name} bytes received`);
      t.is(d.firstMismatch, undefined, `${replay}: ${d.name} first differing byte`);
      const stall = d.longestStall;
      t.true(stall.gap <= stall.explained,
        `${replay}: ${d.name} stalled ${stall.gap.toFixed(0)} ms (ending at ${stall.endedAt.toFixed(0)} ms), more than the RTO in force (${stall.rtoInForce.toFixed(0)} ms) explains (≤ ${stall.explained.toFixed(0)} ms)`);
    }
  });
}
