import test from "ava";
import { ConnectionReset } from "../../../kernel-ts/net/tcp/mod.ts";
import { ACK, FIN, Harness, PEER_ISS, PSH, RST, SYN, ack, flags, payloadLength, seq } from "./tcp_helpers/harness.ts";

// Closing: RFC 9293 §3.6 (Figures 12–14), TIME-WAIT (timer.ts: 2·MSL = 30 s), half-close,
// ABORT (§3.10.5) and close with unread data (RFC 2525 §2.17).

const TIME_WAIT = 30_000;

test("active close: FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT → CLOSED after 2·MSL", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  conn.closeWrite();
  t.is(conn.state, "FIN-WAIT-1");
  h.expect(flags(FIN | ACK), seq(iss + 1), ack(PEER_ISS + 1));
  h.send({ seq: PEER_ISS + 1, ack: iss + 2, flags: ACK });
  t.is(conn.state, "FIN-WAIT-2");
  h.send({ seq: PEER_ISS + 1, ack: iss + 2, flags: FIN | ACK });
  t.is(conn.state, "TIME-WAIT");
  h.expect(flags(ACK), seq(iss + 2), ack(PEER_ISS + 2));
  h.advance(TIME_WAIT - 1);
  h.flush();
  t.is(conn.state, "TIME-WAIT");
  h.send({ seq: PEER_ISS + 1, ack: iss + 2, flags: FIN | ACK }); // our ACK was lost: ACK again, restart the timer
  h.expect(flags(ACK), ack(PEER_ISS + 2));
  h.advance(TIME_WAIT - 1);
  h.flush();
  t.is(conn.state, "TIME-WAIT");
  h.runToNextTimer();
  h.expectNone();
  t.is(conn.state, "CLOSED");
  t.is(conn.error, undefined);
  t.is(h.stack.connectionCount, 0);
});

test("FIN-WAIT-1 with FIN and ACK of our FIN together → TIME-WAIT", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  conn.closeWrite();
  h.expect(flags(FIN | ACK));
  h.send({ seq: PEER_ISS + 1, ack: iss + 2, flags: FIN | ACK });
  t.is(conn.state, "TIME-WAIT");
  h.expect(flags(ACK), ack(PEER_ISS + 2));
});

test("passive close: FIN → CLOSE-WAIT (read ends), closeWrite → LAST-ACK, ACK → CLOSED", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: FIN | ACK, payload: 10 });
  t.is(conn.state, "CLOSE-WAIT");
  h.expect(flags(ACK), ack(PEER_ISS + 12));
  t.false(conn.ended, "data still to read");
  t.is(conn.read()?.length, 10);
  t.true(conn.ended);
  conn.closeWrite();
  t.is(conn.state, "LAST-ACK");
  h.expect(flags(FIN | ACK), seq(iss + 1));
  h.send({ seq: PEER_ISS + 12, ack: iss + 2, flags: ACK });
  t.is(conn.state, "CLOSED");
});

test("simultaneous close: FIN-WAIT-1, FIN → CLOSING, ACK → TIME-WAIT (Figure 13)", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  conn.closeWrite();
  h.expect(flags(FIN | ACK), seq(iss + 1));
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: FIN | ACK });
  t.is(conn.state, "CLOSING");
  h.expect(flags(ACK), seq(iss + 2), ack(PEER_ISS + 2));
  h.send({ seq: PEER_ISS + 2, ack: iss + 2, flags: ACK });
  t.is(conn.state, "TIME-WAIT");
});

test("half-close: after the peer's FIN we still send, and the peer's ACKs arrive in CLOSE-WAIT", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: FIN | ACK });
  h.expect(flags(ACK));
  t.is(conn.write(new Uint8Array(100)), 100);
  h.expect(flags(ACK | PSH), seq(iss + 1), payloadLength(100));
  h.send({ seq: PEER_ISS + 2, ack: iss + 101, flags: ACK });
  t.is(conn.tcb.sendBuffer.length, 0);
  conn.closeWrite();
  h.expect(flags(FIN | ACK), seq(iss + 101));
});

test("half-close the other way: our FIN first, the peer's data still arrives in FIN-WAIT-2", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  conn.closeWrite();
  h.expect(flags(FIN | ACK));
  h.send({ seq: PEER_ISS + 1, ack: iss + 2, flags: ACK });
  h.send({ seq: PEER_ISS + 1, ack: iss + 2, flags: ACK | PSH, payload: 50 });
  t.is(conn.readable, 50);
  t.is(conn.write(new Uint8Array(1)), 0, "no writing after closeWrite");
});

test("a FIN that arrives ahead of a hole waits for the hole (CLOSE-WAIT only in order)", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  h.send({ seq: PEER_ISS + 11, ack: iss + 1, flags: FIN | ACK, payload: 10 });
  t.is(conn.state, "ESTABLISHED");
  h.expect(flags(ACK), ack(PEER_ISS + 1));
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, payload: 10 });
  t.is(conn.state, "CLOSE-WAIT");
  h.expect(flags(ACK), ack(PEER_ISS + 22));
  t.is(conn.read()?.length, 20);
});

test("abort() sends RST <SEQ=SND.NXT> and closes at once", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  conn.abort();
  t.is(conn.state, "CLOSED");
  h.expect(flags(RST), seq(iss + 1));
  h.expectNone();
});

test("close() with unread data resets the connection (RFC 2525 §2.17)", (t) => {
  const h = new Harness(t);
  const { conn } = h.connect();
  h.send({ seq: PEER_ISS + 1, ack: conn.tcb.iss + 1, flags: ACK, payload: 10 });
  h.flush(); h.outbox.length = 0;
  conn.close();
  h.expect(flags(RST));
  t.is(conn.state, "CLOSED");
});

test("RST in ESTABLISHED at exactly RCV.NXT → CLOSED with ConnectionReset", (t) => {
  const h = new Harness(t);
  const { conn } = h.connect();
  let events = 0;
  h.stack.onEvent = (target) => { if (target === conn) events += 1; };
  h.send({ seq: PEER_ISS + 1, flags: RST });
  t.is(conn.state, "CLOSED");
  t.true(conn.error instanceof ConnectionReset);
  t.is(events, 1, "the owner hears of it without polling");
});

// RFC 6191 (RFC 9293 §3.6.1): a new SYN for a connection in TIME-WAIT reopens it when it is
// newer than the old connection — by sequence number without timestamps, by timestamp with.

/** A passive connection the app closes first (accept-and-close): TIME-WAIT on our side. */
function acceptedIntoTimeWait(h: Harness, options: Parameters<Harness["accept"]>[0] = {}, peerTs?: (n: number) => { tsVal: number; tsEcr: number }) {
  const { conn, iss, listener } = h.accept(options);
  conn.closeWrite();
  h.expect(flags(FIN | ACK), seq(iss + 1));
  h.send({ seq: PEER_ISS + 1, ack: iss + 2, flags: FIN | ACK, ...(peerTs ? { options: { timestamps: peerTs(2) } } : {}) });
  h.expect(flags(ACK), ack(PEER_ISS + 2));
  h.t.is(conn.state, "TIME-WAIT");
  return { conn, iss, listener };
}

test("TIME-WAIT: a SYN with a higher sequence number reopens the connection, with an ISS past the old one's", (t) => {
  const h = new Harness(t);
  const { conn, iss, listener } = acceptedIntoTimeWait(h);
  h.advance(1000);
  const newIss = PEER_ISS + 5_000_000;
  h.send({ seq: newIss, flags: SYN, options: { mss: 1460 } });
  t.is(conn.state, "CLOSED", "the old connection is gone");
  const synAck = h.expect(flags(SYN | ACK), ack(newIss + 1));
  t.is(synAck.seqNumber, (iss + 2 + 65537) >>> 0, "the new ISS is past everything the old connection sent");
  h.send({ seq: newIss + 1, ack: synAck.seqNumber + 1, flags: ACK });
  const reopened = listener.accept();
  t.is(reopened?.state, "ESTABLISHED");
  t.is(h.stack.stats.rx.timeWaitReopened, 1);
  t.is(h.stack.connectionCount, 1);
});

test("TIME-WAIT: an old SYN (sequence number not past RCV.NXT) is answered with an ACK and the connection stays", (t) => {
  const h = new Harness(t);
  const { conn } = acceptedIntoTimeWait(h);
  h.send({ seq: PEER_ISS + 1, flags: SYN, options: { mss: 1460 } });
  h.expect(flags(ACK), ack(PEER_ISS + 2));
  t.is(conn.state, "TIME-WAIT");
  t.is(h.stack.stats.rx.timeWaitReopened, 0);
});

test("TIME-WAIT with timestamps: a newer timestamp reopens even from a lower sequence number; an older one does not", (t) => {
  const h = new Harness(t, { timestamps: true });
  const ts = (tsVal: number) => ({ tsVal, tsEcr: 0 });
  const { conn: first } = acceptedIntoTimeWait(h, { timestamps: ts(1000) }, (n) => ts(1000 + n));
  h.send({ seq: PEER_ISS + 50_000, flags: SYN, options: { mss: 1460, timestamps: ts(999) } });
  h.expect(flags(ACK), "an older timestamp: TIME-WAIT's ACK");
  t.is(first.state, "TIME-WAIT");
  h.send({ seq: PEER_ISS - 50_000, flags: SYN, options: { mss: 1460, timestamps: ts(2000) } });
  t.is(first.state, "CLOSED");
  const synAck = h.expect(flags(SYN | ACK), ack(PEER_ISS - 50_000 + 1));
  t.is(synAck.options.timestamps?.tsEcr, 2000, "the new connection echoes the new SYN's timestamp");
  t.is(h.stack.stats.rx.timeWaitReopened, 1);
});
