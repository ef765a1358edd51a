import test from "ava";
import { halfSipHash24 } from "../../../kernel-ts/hal/halfsiphash.ts";
import { initialSequenceNumber } from "../../../kernel-ts/net/tcp/isn.ts";
import { ConnectionRefused, TimedOut } from "../../../kernel-ts/net/tcp/mod.ts";
import { ACK, Harness, LOCAL, LOCAL_PORT, PEER_ISS, REMOTE, REMOTE_PORT, RST, SYN, ack, flags, option, seq, window } from "./tcp_helpers/harness.ts";

// Opening connections: RFC 9293 §3.5 (Figures 6–9), §3.10.7.1–3; options per RFC 9293
// §3.7.1 (MSS), RFC 7323 (window scale, timestamps), RFC 2018 (SACK-permitted).

test("active open: SYN, SYN-ACK, ACK → ESTABLISHED (Figure 6)", (t) => {
  const h = new Harness(t);
  const conn = h.stack.connect({ address: LOCAL, port: LOCAL_PORT }, { address: REMOTE, port: REMOTE_PORT });
  t.is(conn.state, "SYN-SENT");
  const syn = h.expect(flags(SYN), ack(0), option("mss", 1460));
  h.send({ seq: PEER_ISS, ack: syn.seqNumber + 1, flags: SYN | ACK, options: { mss: 1000 } });
  h.expect(flags(ACK), seq(syn.seqNumber + 1), ack(PEER_ISS + 1));
  t.is(conn.state, "ESTABLISHED");
  t.is(conn.tcb.sendMss, 1000, "segments sized to the peer's MSS");
  h.expectNone();
});

test("passive open: LISTEN, SYN → SYN-RECEIVED, ACK → ESTABLISHED and accepted", (t) => {
  const h = new Harness(t);
  const listener = h.stack.listen({ address: LOCAL, port: LOCAL_PORT }, 4);
  h.send({ seq: PEER_ISS, flags: SYN, options: { mss: 1460 } });
  const synAck = h.expect(flags(SYN | ACK), ack(PEER_ISS + 1), option("mss", 1460));
  t.is(listener.accept(), undefined, "nothing to accept during the handshake");
  h.send({ seq: PEER_ISS + 1, ack: synAck.seqNumber + 1, flags: ACK });
  t.is(listener.pending, 1);
  const conn = listener.accept()!;
  t.is(conn.state, "ESTABLISHED");
  t.deepEqual(conn.remote, { address: REMOTE, port: REMOTE_PORT });
});

test("a listener answers a lost SYN-ACK's repeated SYN with the SYN-ACK again", (t) => {
  const h = new Harness(t);
  h.stack.listen({ address: LOCAL, port: LOCAL_PORT }, 4);
  h.send({ seq: PEER_ISS, flags: SYN });
  const first = h.expect(flags(SYN | ACK));
  h.send({ seq: PEER_ISS, flags: SYN });
  h.expect(flags(SYN | ACK), seq(first.seqNumber), ack(PEER_ISS + 1));
});

test("simultaneous open: SYN-SENT, SYN → SYN-RECEIVED, SYN-ACK → ESTABLISHED (Figure 8)", (t) => {
  const h = new Harness(t);
  const conn = h.stack.connect({ address: LOCAL, port: LOCAL_PORT }, { address: REMOTE, port: REMOTE_PORT });
  const iss = h.expect(flags(SYN)).seqNumber;
  h.send({ seq: PEER_ISS, flags: SYN, options: { mss: 1460 } });
  t.is(conn.state, "SYN-RECEIVED");
  h.expect(flags(SYN | ACK), seq(iss), ack(PEER_ISS + 1));
  h.send({ seq: PEER_ISS, ack: iss + 1, flags: SYN | ACK, options: { mss: 1460 } });
  t.is(conn.state, "ESTABLISHED");
});

test("SYN to a port with no listener → RST|ACK <SEQ=0><ACK=SEG.SEQ+1> (§3.10.7.1)", (t) => {
  const h = new Harness(t);
  h.send({ seq: PEER_ISS, flags: SYN, dstPort: 9 });
  h.expect(flags(RST | ACK), seq(0), ack(PEER_ISS + 1), window(0));
  t.is(h.stack.stats.rx.noConnection, 1);
});

test("an ACK to a port with no connection → RST <SEQ=SEG.ACK>; a RST gets nothing", (t) => {
  const h = new Harness(t);
  h.send({ seq: PEER_ISS, ack: 777, flags: ACK, dstPort: 9 });
  h.expect(flags(RST), seq(777));
  h.send({ seq: PEER_ISS, flags: RST, dstPort: 9 });
  h.expectNone("no RST for a RST");
});

test("SYN-SENT: RST acknowledging our SYN → CLOSED with ConnectionRefused; one that does not is ignored", (t) => {
  const h = new Harness(t);
  const conn = h.stack.connect({ address: LOCAL, port: LOCAL_PORT }, { address: REMOTE, port: REMOTE_PORT });
  const iss = h.expect(flags(SYN)).seqNumber;
  h.send({ seq: 0, flags: RST }); // no ACK: RFC 5961 §3.2 / RFC 9293 say drop
  t.is(conn.state, "SYN-SENT");
  h.send({ seq: 0, ack: iss + 5, flags: RST | ACK }); // ACK outside our SYN: drop
  t.is(conn.state, "SYN-SENT");
  h.send({ seq: 0, ack: iss + 1, flags: RST | ACK });
  t.is(conn.state, "CLOSED");
  t.true(conn.error instanceof ConnectionRefused);
});

test("SYN-SENT: an ACK for something we never sent draws RST <SEQ=SEG.ACK>", (t) => {
  const h = new Harness(t);
  const conn = h.stack.connect({ address: LOCAL, port: LOCAL_PORT }, { address: REMOTE, port: REMOTE_PORT });
  const iss = h.expect(flags(SYN)).seqNumber;
  h.send({ seq: PEER_ISS, ack: iss + 100, flags: SYN | ACK });
  h.expect(flags(RST), seq(iss + 100));
  t.is(conn.state, "SYN-SENT");
});

test("SYN retransmits at 1 s, 2 s, 4 s… then connect times out", (t) => {
  const h = new Harness(t, { synRetries: 3 });
  const conn = h.stack.connect({ address: LOCAL, port: LOCAL_PORT }, { address: REMOTE, port: REMOTE_PORT });
  const iss = h.expect(flags(SYN)).seqNumber;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    h.runToNextTimer();
    h.expect(flags(SYN), seq(iss));
    times.push(h.now);
  }
  t.deepEqual(times, [1000, 3000, 7000]);
  h.runToNextTimer();
  h.expectNone();
  t.is(conn.state, "CLOSED");
  t.true(conn.error instanceof TimedOut);
});

test("options: window scale, SACK-permitted and timestamps offered, and adopted only if the peer offers them", (t) => {
  const on = { windowScaling: true, sack: true, timestamps: true };
  const h = new Harness(t, on);
  const conn = h.stack.connect({ address: LOCAL, port: LOCAL_PORT }, { address: REMOTE, port: REMOTE_PORT });
  const syn = h.expect(flags(SYN), option("windowScale", 3), option("sackPermitted", true));
  t.is(syn.options.timestamps?.tsEcr, 0);
  h.send({ seq: PEER_ISS, ack: syn.seqNumber + 1, flags: SYN | ACK, options: { mss: 1460, windowScale: 7, sackPermitted: true, timestamps: { tsVal: 5000, tsEcr: syn.options.timestamps!.tsVal } } });
  const ackSegment = h.expect(flags(ACK), window(32768));
  t.is(ackSegment.options.timestamps?.tsEcr, 5000, "TSecr echoes the peer's TSval");
  t.like(conn.tcb, { windowScaleOk: true, sndWindowShift: 7, rcvWindowShift: 3, sackOk: true, timestampsOk: true, sendMss: 1448 });

  const plain = new Harness(t, on);
  const { conn: c2 } = plain.connect({});
  t.like(c2.tcb, { windowScaleOk: false, rcvWindowShift: 0, sackOk: false, timestampsOk: false, sendMss: 1460 });
});

test("a passive SYN-ACK carries only the options the SYN offered", (t) => {
  const h = new Harness(t, { windowScaling: true, sack: true, timestamps: true });
  h.stack.listen({ address: LOCAL, port: LOCAL_PORT }, 4);
  h.send({ seq: PEER_ISS, flags: SYN, options: { mss: 536, sackPermitted: true } });
  const synAck = h.expect(flags(SYN | ACK));
  t.deepEqual(synAck.options, { mss: 1460, sackPermitted: true });
});

test("listen backlog: SYNs beyond the accept queue are dropped until the owner accepts", (t) => {
  const h = new Harness(t);
  const listener = h.stack.listen({ address: LOCAL, port: LOCAL_PORT }, 1);
  h.send({ seq: PEER_ISS, flags: SYN, srcPort: 1001 });
  const synAck = h.expect(flags(SYN | ACK));
  h.send({ seq: PEER_ISS + 1, ack: synAck.seqNumber + 1, flags: ACK, srcPort: 1001 });
  t.is(listener.pending, 1);
  h.send({ seq: PEER_ISS, flags: SYN, srcPort: 1002 });
  h.expectNone("the second SYN is dropped");
  t.is(h.stack.stats.rx.listenOverflow, 1);
  t.truthy(listener.accept());
  h.send({ seq: PEER_ISS, flags: SYN, srcPort: 1002 });
  h.expect(flags(SYN | ACK));
});

test("SYN flood: the SYN queue stays bounded, evicting the oldest, and a real client still connects", (t) => {
  const h = new Harness(t, { synQueueLimit: 4 });
  const listener = h.stack.listen({ address: LOCAL, port: LOCAL_PORT }, 8);
  for (let port = 2000; port < 2100; port++) h.send({ seq: PEER_ISS + port, flags: SYN, srcPort: port });
  t.is(h.stack.connectionCount, 4);
  t.is(h.stack.stats.rx.synQueueEvictions, 96);
  h.flush();
  t.is(h.outbox.length, 4, "SYN-ACKs only for the half-open connections kept");
  h.outbox.length = 0;
  h.send({ seq: PEER_ISS, flags: SYN, srcPort: 5555 });
  const synAck = h.expect(flags(SYN | ACK));
  h.send({ seq: PEER_ISS + 1, ack: synAck.seqNumber + 1, flags: ACK, srcPort: 5555 });
  t.is(listener.accept()?.remote.port, 5555);
  t.is(h.stack.connectionCount, 4);
});

test("ISN: HalfSipHash-2-4 matches the reference vectors; ISNs differ per tuple and climb with the clock (RFC 6528)", (t) => {
  const key = Uint8Array.from({ length: 8 }, (_, i) => i);
  const tag = (n: number) => halfSipHash24(key, Uint8Array.from({ length: n }, (_, i) => i));
  const le = (x: number) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24];
  t.deepEqual(le(tag(0)), [0xa9, 0x35, 0x9f, 0x5b]);
  t.deepEqual(le(tag(1)), [0x27, 0x47, 0x5a, 0xb8]);
  t.deepEqual(le(tag(2)), [0xfa, 0x62, 0xa6, 0x03]);
  t.deepEqual(le(tag(4)), [0x2a, 0x6e, 0x46, 0x89]);
  const tuple = { localAddress: LOCAL, localPort: 80, remoteAddress: REMOTE, remotePort: 40000 };
  const a = initialSequenceNumber(key, tuple, 0);
  t.not(a, initialSequenceNumber(key, { ...tuple, remotePort: 40001 }, 0));
  t.is(initialSequenceNumber(key, tuple, 1), (a + 250) >>> 0, "4 µs ticks");
  // The ISN hashes the four-tuple's 12 bytes, big-endian, local before remote.
  for (const four of [tuple, { localAddress: 0xc0a80001, localPort: 65535, remoteAddress: 0xfffffffe, remotePort: 1 }]) {
    const message = new Uint8Array(12);
    const view = new DataView(message.buffer);
    view.setUint32(0, four.localAddress);
    view.setUint32(4, four.remoteAddress);
    view.setUint16(8, four.localPort);
    view.setUint16(10, four.remotePort);
    t.is(initialSequenceNumber(key, four, 0), halfSipHash24(key, message));
  }
});
