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
