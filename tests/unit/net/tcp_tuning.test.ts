import test from "ava";
import { TcpRepr } from "../../../kernel-ts/net/wire/tcp.ts";
import { ACK, Harness, PEER_ISS, ack, bytes, flags, payloadLength, sackBlocks, seq } from "./tcp_helpers/harness.ts";

// Behaviours tuned with tests/netsim: each test here pins one change the simulator found.

const IPV4_HEADER = 20;
const MTU = 1500;

/** Both SACK and timestamps on; peer MSS 1460, so sendMss is 1448 (12 bytes for timestamps). */
function sackAndTimestamps(h: Harness) {
  const { conn, iss } = h.connect({ sackPermitted: true, timestamps: { tsVal: 1, tsEcr: 0 } });
  return { conn, iss };
}

test("a data segment that carries SACK blocks shrinks its payload so the frame still fits the MTU (RFC 6691)", (t) => {
  const h = new Harness(t, { sack: true, timestamps: true });
  const { conn, iss } = sackAndTimestamps(h);
  conn.noDelay = true;
  // The peer's first 1000 bytes are lost: we hold 500 out of order and SACK them.
  h.send({ seq: PEER_ISS + 1001, ack: iss + 1, flags: ACK, payload: 500, options: { timestamps: { tsVal: 2, tsEcr: 0 } } });
  h.expect(seq(iss + 1), sackBlocks([[PEER_ISS + 1001, PEER_ISS + 1501]]));
  conn.write(bytes(2 * 1436));
  const first = h.expect(seq(iss + 1), payloadLength(1448 - 12), sackBlocks([[PEER_ISS + 1001, PEER_ISS + 1501]]));
  t.true(IPV4_HEADER + TcpRepr.headerLen(first) + first.payload.length <= MTU, "the IP packet fits the MTU");
  h.expect(seq(iss + 1 + 1436), payloadLength(1436));
  // Once the hole is filled no block is carried and segments are full-sized again.
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, payload: 1000, options: { timestamps: { tsVal: 3, tsEcr: 0 } } });
  h.expect(flags(ACK), payloadLength(0), "the filled hole is acknowledged at once");
  conn.write(bytes(1448));
  const next = h.expect(seq(iss + 1 + 2 * 1436), payloadLength(1448), sackBlocks([]));
  t.true(IPV4_HEADER + TcpRepr.headerLen(next) + next.payload.length <= MTU);
});

test("after a timeout a pure ACK carries SND.MAX, not the rolled-back SND.NXT, so the peer does not drop it as old (RFC 9293 §3.10.7.4)", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect({ mss: 500 });
  conn.noDelay = true;
  conn.write(bytes(2000));
  for (let i = 0; i < 4; i++) h.expect(seq(iss + 1 + 500 * i), payloadLength(500));
  h.runToNextTimer();
  h.expect(seq(iss + 1), payloadLength(500), "the timeout resends from SND.UNA");
  t.is(conn.tcb.sndNxt, iss + 501);
  // The peer holds all 2000 bytes; its data arrives and is acknowledged by a pure ACK.
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, payload: 100 });
  h.runToNextTimer();
  h.expect(flags(ACK), payloadLength(0), seq(iss + 2001), ack(PEER_ISS + 101));
});

test("a pure ACK never goes past the right edge of the peer's window", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect({ mss: 500 });
  conn.noDelay = true;
  conn.write(bytes(1000));
  h.expect(seq(iss + 1), payloadLength(500));
  h.expect(seq(iss + 501), payloadLength(500));
  // The peer acknowledges 500 and closes its window; then sends data that we acknowledge.
  h.send({ seq: PEER_ISS + 1, ack: iss + 501, flags: ACK, window: 0, payload: 100 });
  h.runToNextTimer();
  h.expect(flags(ACK), payloadLength(0), seq(iss + 501), ack(PEER_ISS + 101));
});

/** `count` 500-byte segments in flight (peer MSS 500: an initial window of 4 segments), `queued` more bytes waiting. */
function inFlight(h: Harness, count: number, queued = 0, options = {}) {
  const { conn, iss } = h.connect({ mss: 500, ...options });
  conn.noDelay = true;
  conn.write(bytes(500 * count + queued));
  const sent = [];
  for (let i = 0; i < count; i++) sent.push(h.expect(seq(iss + 1 + 500 * i), payloadLength(500)));
  h.expectNone();
  return { conn, iss, sent };
}

test("limited transmit (RFC 3042): each of the first duplicate ACKs lets one new segment out", (t) => {
  const h = new Harness(t);
  const { iss } = inFlight(h, 10, 2000); // the initial window (RFC 6928) is full: 10 × 500
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK });
  h.expect(seq(iss + 5001), payloadLength(500), "first duplicate: one new segment");
  h.expectNone();
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK });
  h.expect(seq(iss + 5501), payloadLength(500), "second duplicate: another");
  h.expectNone();
});

test("early retransmit (RFC 5827): with three segments in flight, two duplicate ACKs are enough", (t) => {
  const h = new Harness(t);
  const { conn, iss } = inFlight(h, 3);
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK });
  h.expectNone("one duplicate is not");
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK });
  h.expect(seq(iss + 1), payloadLength(500));
  t.true(conn.tcb.inRecovery);
});

test("SACK loss detection (RFC 6675 §5): one ACK SACKing three segments above the hole starts recovery, though duplicate ACKs were lost", (t) => {
  const h = new Harness(t, { sack: true });
  const { conn, iss } = inFlight(h, 4, 0, { sackPermitted: true });
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, options: { sackBlocks: [{ left: iss + 501, right: iss + 2001 }] } });
  h.expect(seq(iss + 1), payloadLength(500));
  t.true(conn.tcb.inRecovery);
});

test("Eifel (RFC 3522): a recovery whose original segment was only late is undone, and more reordering is tolerated next time", (t) => {
  const h = new Harness(t, { timestamps: true });
  const peerTs = (tsVal: number, tsEcr: number) => ({ timestamps: { tsVal, tsEcr } });
  const { conn, iss, sent } = inFlight(h, 4, 0, { mss: 512, ...peerTs(1, 0) }); // 500 after the timestamp option
  const originalTs = sent[0]!.options.timestamps!.tsVal;
  const before = { cwnd: conn.tcb.cwnd, ssthresh: conn.tcb.ssthresh };
  h.advance(30);
  for (let i = 0; i < 3; i++) h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, options: peerTs(2, originalTs) });
  const retransmission = h.expect(seq(iss + 1), payloadLength(500));
  t.true(conn.tcb.inRecovery);
  t.true(retransmission.options.timestamps!.tsVal > originalTs);
  // The original arrives after all: the cumulative ACK echoes the original's timestamp.
  h.send({ seq: PEER_ISS + 1, ack: iss + 2001, flags: ACK, options: peerTs(3, originalTs) });
  t.false(conn.tcb.inRecovery);
  t.is(conn.tcb.cwnd, before.cwnd, "cwnd restored (RFC 4015)");
  t.is(conn.tcb.ssthresh, before.ssthresh, "ssthresh restored");
  t.is(conn.tcb.dupThresh, 4, "one more duplicate than this episode drew");
  t.is(h.stack.stats.tx.spuriousRecoveries, 1);
});

test("Eifel: when the ACK echoes the retransmission's timestamp the loss was real and the window stays reduced", (t) => {
  const h = new Harness(t, { timestamps: true, congestionControl: "newreno" });
  const peerTs = (tsVal: number, tsEcr: number) => ({ timestamps: { tsVal, tsEcr } });
  const { conn, iss, sent } = inFlight(h, 4, 0, { mss: 512, ...peerTs(1, 0) }); // 500 after the timestamp option
  const originalTs = sent[0]!.options.timestamps!.tsVal;
  h.advance(30);
  for (let i = 0; i < 3; i++) h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, options: peerTs(2, originalTs) });
  const retransmission = h.expect(seq(iss + 1), payloadLength(500));
  h.send({ seq: PEER_ISS + 1, ack: iss + 2001, flags: ACK, options: peerTs(3, retransmission.options.timestamps!.tsVal) });
  t.false(conn.tcb.inRecovery);
  t.is(conn.tcb.ssthresh, 1000, "half the flight");
  t.is(conn.tcb.dupThresh, 3);
  t.is(h.stack.stats.tx.spuriousRecoveries, 0);
});

test("replies to zero-window probes are not duplicate ACKs: no fast retransmit of the probe", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect({}, 0);
  conn.write(bytes(100));
  h.runToNextTimer(200);
  h.expect(seq(iss + 1), payloadLength(1));
  for (let i = 0; i < 3; i++) h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, window: 0 });
  h.expectNone();
  t.false(conn.tcb.inRecovery);
  t.is(conn.tcb.dupAcks, 0);
});
