import test from "ava";
import { TimedOut } from "../../../kernel-ts/net/tcp/mod.ts";
import { ACK, Harness, PEER_ISS, RST, SYN, ack, flags, payloadLength, seq } from "./tcp_helpers/harness.ts";

// Blind-attack hardening, RFC 5961: RST (§3), SYN (§4) and ACK (§5) checks, challenge ACKs
// rate-limited (§7); PAWS (RFC 7323 §5); keepalive (RFC 1122 §4.2.3.6).

test("RST outside the window is ignored", (t) => {
  const h = new Harness(t);
  const { conn } = h.connect();
  h.send({ seq: PEER_ISS + 1 + 10_000_000, flags: RST });
  h.expectNone();
  t.is(conn.state, "ESTABLISHED");
  t.is(h.stack.stats.rx.outOfWindow, 1);
});

test("RST in the window but not at RCV.NXT draws a challenge ACK and changes nothing", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  h.send({ seq: PEER_ISS + 1 + 100, flags: RST });
  h.expect(flags(ACK), seq(iss + 1), ack(PEER_ISS + 1));
  t.is(conn.state, "ESTABLISHED");
  t.is(h.stack.stats.rx.challengeAcks, 1);
});

test("RST exactly at RCV.NXT resets", (t) => {
  const h = new Harness(t);
  const { conn } = h.connect();
  h.send({ seq: PEER_ISS + 1, flags: RST });
  t.is(conn.state, "CLOSED");
  t.is(conn.error?.name, "ConnectionReset");
});

test("SYN in a synchronized state draws a challenge ACK (§4), not a reset", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  h.send({ seq: PEER_ISS + 50, flags: SYN });
  h.expect(flags(ACK), seq(iss + 1), ack(PEER_ISS + 1));
  t.is(conn.state, "ESTABLISHED");
});

test("challenge ACKs are rate-limited per second for the whole stack (§7)", (t) => {
  const h = new Harness(t, { challengeAckLimit: 2 });
  h.connect();
  for (let i = 0; i < 5; i++) h.send({ seq: PEER_ISS + 100 + i, flags: RST });
  h.flush();
  t.is(h.outbox.length, 1, "the ACKs coalesce into one segment this turn");
  t.is(h.stack.stats.rx.challengeAcks, 2);
  t.is(h.stack.stats.rx.challengeAcksLimited, 3);
  h.advance(1000);
  h.outbox.length = 0;
  h.send({ seq: PEER_ISS + 100, flags: RST });
  h.expect(flags(ACK));
});

test("an ACK for data never sent is answered with an ACK and dropped (§5.2)", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  h.send({ seq: PEER_ISS + 1, ack: iss + 5000, flags: ACK, payload: 10 });
  h.expect(flags(ACK), ack(PEER_ISS + 1), "the data was dropped with the bad ACK");
  t.is(conn.readable, 0);
  t.is(h.stack.stats.rx.badAck, 1);
});

test("an ACK-less segment in a synchronized state is dropped", (t) => {
  const h = new Harness(t);
  const { conn } = h.connect();
  h.send({ seq: PEER_ISS + 1, flags: 0, payload: 10 });
  t.is(conn.readable, 0);
});

test("PAWS: a segment with an older timestamp is an old duplicate (RFC 7323 §5.3)", (t) => {
  const h = new Harness(t, { timestamps: true });
  const { conn, iss } = h.connect({ timestamps: { tsVal: 1000, tsEcr: 0 } });
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, payload: 10, options: { timestamps: { tsVal: 1001, tsEcr: 0 } } });
  t.is(conn.readable, 10);
  h.send({ seq: PEER_ISS + 11, ack: iss + 1, flags: ACK, payload: 10, options: { timestamps: { tsVal: 900, tsEcr: 0 } } });
  t.is(conn.readable, 10, "dropped");
  t.is(h.stack.stats.rx.paws, 1);
});

test("keepalive: probes after idle with SEG.SEQ = SND.UNA − 1, then TimedOut when unanswered", (t) => {
  const h = new Harness(t, { keepAliveIdle: 10_000, keepAliveInterval: 1000, keepAliveProbes: 2 });
  const { conn, iss } = h.connect();
  conn.keepAlive = true;
  h.runToNextTimer();
  t.is(h.now, 10_000);
  h.expect(flags(ACK), seq(iss), payloadLength(0));
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK }); // answered: idle again
  h.runToNextTimer();
  t.is(h.now, 20_000);
  h.expect(seq(iss));
  h.runToNextTimer();
  h.expect(seq(iss));
  h.runToNextTimer();
  h.expectNone();
  t.is(conn.state, "CLOSED");
  t.true(conn.error instanceof TimedOut);
});
