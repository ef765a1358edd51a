import test from "ava";
import { TimedOut } from "../../../kernel-ts/net/tcp/mod.ts";
import { ACK, Harness, PEER_ISS, bytes, payloadLength, seq } from "./tcp_helpers/harness.ts";

// Loss recovery: the retransmission timer (RFC 6298: backoff, give-up), fast retransmit
// and NewReno fast recovery (RFC 5681 §3.2, RFC 6582 partial ACKs), and SACK-driven
// retransmission (RFC 2018, the scoreboard).

/** Four 500-byte segments in flight (peer MSS 500: initial window 4·MSS). */
function fourInFlight(h: Harness, options = {}) {
  const { conn, iss } = h.connect({ mss: 500, ...options });
  conn.noDelay = true;
  conn.write(bytes(2000));
  for (let i = 0; i < 4; i++) h.expect(seq(iss + 1 + 500 * i), payloadLength(500));
  h.expectNone();
  return { conn, iss };
}

test("RTO: retransmits from SND.UNA with the timer doubling, then gives up with TimedOut", (t) => {
  const h = new Harness(t, { maxRetries: 4 });
  const { conn, iss } = h.connect();
  conn.write(bytes(100));
  h.expect(seq(iss + 1), payloadLength(100));
  const sentAt: number[] = [];
  for (let i = 0; i < 4; i++) {
    h.runToNextTimer();
    h.expect(seq(iss + 1), payloadLength(100));
    sentAt.push(h.now);
  }
  t.deepEqual(sentAt, [200, 600, 1400, 3000], "RTO 200 ms (the handshake's sample, clamped), then doubling");
  t.is(h.stack.stats.tx.retransmits, 4);
  h.runToNextTimer();
  h.expectNone();
  t.is(conn.state, "CLOSED");
  t.true(conn.error instanceof TimedOut);
});

test("RTO: an ACK resets the backoff and the retry count; the window collapses to one segment", (t) => {
  const h = new Harness(t, { congestionControl: "newreno" }); // half the flight (CUBIC's 0.7·cwnd: tcp_cubic.test.ts)
  const { conn, iss } = fourInFlight(h);
  h.runToNextTimer();
  h.expect(seq(iss + 1), payloadLength(500));
  h.expectNone("cwnd is one segment after a timeout");
  t.is(conn.tcb.cwnd, 500);
  t.is(conn.tcb.ssthresh, 1000);
  h.send({ seq: PEER_ISS + 1, ack: iss + 501, flags: ACK });
  t.is(conn.tcb.retries, 0);
  h.expect(seq(iss + 501), payloadLength(500));
  h.expect(seq(iss + 1001), payloadLength(500), "slow start: two segments for one ACK");
});

test("fast retransmit on the third duplicate ACK, then NewReno: a partial ACK retransmits the next hole", (t) => {
  const h = new Harness(t, { congestionControl: "newreno" });
  const { conn, iss } = fourInFlight(h);
  for (let i = 0; i < 2; i++) h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK });
  h.expectNone("two duplicates are not enough");
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK });
  h.expect(seq(iss + 1), payloadLength(500));
  t.true(conn.tcb.inRecovery);
  t.is(conn.tcb.ssthresh, 1000, "half the flight");
  t.is(conn.tcb.cwnd, 1000 + 3 * 500, "ssthresh + 3·MSS");
  // Partial ACK (RFC 6582 §3.2 step 4): the segment at +1001 was lost too.
  h.send({ seq: PEER_ISS + 1, ack: iss + 1001, flags: ACK });
  h.expect(seq(iss + 1001), payloadLength(500));
  t.true(conn.tcb.inRecovery);
  // Full ACK: recovery ends with cwnd deflated to ssthresh.
  h.send({ seq: PEER_ISS + 1, ack: iss + 2001, flags: ACK });
  t.false(conn.tcb.inRecovery);
  t.is(conn.tcb.cwnd, 1000);
  h.expectNone();
});

test("SACK: the scoreboard steers retransmission to the holes, skipping what arrived", (t) => {
  const h = new Harness(t, { sack: true });
  const { conn, iss } = fourInFlight(h, { sackPermitted: true });
  // Segments +1 and +1001 were lost; +501 and +1501 arrived.
  const dup = (blocks: Array<[number, number]>) =>
    h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, options: { sackBlocks: blocks.map(([l, r]) => ({ left: iss + l, right: iss + r })) } });
  dup([[501, 1001]]);
  dup([[1501, 2001], [501, 1001]]);
  h.expectNone();
  dup([[1501, 2001], [501, 1001]]);
  h.expect(seq(iss + 1), payloadLength(500));
  t.deepEqual(conn.tcb.sacked.map((r) => [r.left - iss, r.right - iss]), [[501, 1001], [1501, 2001]]);
  dup([[1501, 2001], [501, 1001]]);
  h.expect(seq(iss + 1001), payloadLength(500), "the next hole, not the SACKed +501");
  dup([[1501, 2001], [501, 1001]]);
  h.expectNone("nothing unSACKed is left below the highest SACKed byte");
  h.send({ seq: PEER_ISS + 1, ack: iss + 2001, flags: ACK });
  t.false(conn.tcb.inRecovery);
  t.deepEqual(conn.tcb.sacked, []);
});

test("SACK blocks outside (SND.UNA, SND.MAX] are ignored", (t) => {
  const h = new Harness(t, { sack: true });
  const { conn, iss } = fourInFlight(h, { sackPermitted: true });
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, options: { sackBlocks: [{ left: iss + 5000, right: iss + 6000 }, { left: iss - 100, right: iss }] } });
  t.deepEqual(conn.tcb.sacked, []);
});

test("a retransmitted segment gives no RTT sample (Karn); a fresh one does", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  const rtoAfterHandshake = conn.tcb.rto;
  conn.write(bytes(100));
  h.expect(seq(iss + 1));
  h.runToNextTimer();
  h.expect(seq(iss + 1));
  h.advance(50);
  h.send({ seq: PEER_ISS + 1, ack: iss + 101, flags: ACK });
  t.is(conn.tcb.rto, rtoAfterHandshake * 2, "backed-off RTO kept: no sample from an ambiguous ACK");
  conn.write(bytes(100));
  h.expect(seq(iss + 101));
  h.advance(300);
  h.send({ seq: PEER_ISS + 1, ack: iss + 201, flags: ACK });
  t.is(conn.tcb.srtt, (0 * 7 + 300) / 8, "RFC 6298: SRTT ← 7/8 SRTT + 1/8 R");
  t.true(conn.tcb.rto > 300);
});
