import test from "ava";
import { ACK, Harness, PEER_ISS, PSH, ack, bytes, flags, payload, payloadLength, sackBlocks, seq, window } from "./tcp_helpers/harness.ts";

// Data transfer: segmentation by MSS and window (RFC 9293 §3.8.6), delayed ACKs (RFC 1122
// §4.2.3.2, RFC 5681 §4.2), reassembly and SACK blocks (RFC 2018), window scaling
// (RFC 7323 §2), zero-window probes (§3.8.6.1), Nagle (RFC 896) and noDelay.

test("data out: one write is cut into MSS-sized segments within the window", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect({ mss: 1000 });
  const data = bytes(2500);
  t.is(conn.write(data), 2500);
  h.expect(flags(ACK), seq(iss + 1), payload(data.subarray(0, 1000)));
  h.expect(flags(ACK), seq(iss + 1001), payloadLength(1000));
  h.expect(flags(ACK | PSH), seq(iss + 2001), payload(data.subarray(2000)));
  h.expectNone();
  h.send({ seq: PEER_ISS + 1, ack: iss + 2501, flags: ACK });
  t.is(conn.tcb.sendBuffer.length, 0, "acknowledged bytes leave the send buffer");
  h.expectNone();
  t.is(h.stack.pollAt(h.now), Infinity, "no timer once everything is acknowledged");
});

test("TSO: new data goes in whole-MSS multiples up to the congestion window, the last bytes as a tail; retransmissions are one MSS", (t) => {
  const h = new Harness(t, { tsoMaxBytes: 65536 });
  const { conn, iss } = h.connect({ mss: 1000 }, 65535);
  const data = bytes(30_500);
  t.is(conn.write(data), 30_500);
  // Initial window: 10 segments of 1000 (RFC 6928 / initialWindow) in one TSO segment.
  const first = h.expect(flags(ACK), seq(iss + 1), payloadLength(10 * 1000));
  t.deepEqual([...first.payload], [...data.subarray(0, 10_000)]);
  t.is(h.lastSegmentSize, 1000, "the device cuts at the MSS");
  h.expectNone("the window is full");
  h.send({ seq: PEER_ISS + 1, ack: iss + 10_001, flags: ACK });
  // Slow start doubled the window: 20 000 bytes, of which 20 500 are waiting.
  h.expect(flags(ACK), seq(iss + 10_001), payloadLength(20_000));
  h.expectNone("window-limited: the 500-byte tail waits");
  h.send({ seq: PEER_ISS + 1, ack: iss + 30_001, flags: ACK });
  h.expect(flags(ACK | PSH), seq(iss + 30_001), payload(data.subarray(30_000)));
  // A timeout resends one MSS, not a TSO segment.
  h.runToNextTimer();
  h.expect(flags(ACK | PSH), seq(iss + 30_001), payloadLength(500), "retransmission");
  t.is(h.lastSegmentSize, 1000);
});

test("TSO: a write that ends mid-segment goes whole, its tail included, when the window allows", (t) => {
  const h = new Harness(t, { tsoMaxBytes: 65536 });
  const { conn, iss } = h.connect({ mss: 1000 }, 65535);
  t.is(conn.write(bytes(3_250)), 3_250);
  h.expect(flags(ACK | PSH), seq(iss + 1), payloadLength(3_250));
  h.expectNone();
});

test("data in: in order to the reader; one segment's ACK is delayed, the second is ACKed at once", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  const data = bytes(3000, 3);
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, payload: data.subarray(0, 1000) });
  h.expectNone("delayed");
  h.advance(39);
  h.expectNone("still delayed");
  h.advance(1);
  h.expect(flags(ACK), ack(PEER_ISS + 1001));
  h.send({ seq: PEER_ISS + 1001, ack: iss + 1, flags: ACK, payload: data.subarray(1000, 2000) });
  h.send({ seq: PEER_ISS + 2001, ack: iss + 1, flags: ACK, payload: data.subarray(2000) });
  h.expect(flags(ACK), ack(PEER_ISS + 3001));
  t.is(conn.readable, 3000);
  t.deepEqual([...conn.read(1500)!], [...data.subarray(0, 1500)]);
  t.deepEqual([...conn.read()!], [...data.subarray(1500)]);
  t.is(conn.read(), undefined);
});

test("backpressure: write takes only what the bounded send buffer holds", (t) => {
  const h = new Harness(t, { sendBufferSize: 4096 });
  const { conn } = h.connect({}, 0);
  t.is(conn.write(bytes(10_000)), 4096);
  t.is(conn.writable, 0);
  t.is(conn.write(bytes(1)), 0);
});

test("out-of-order data is reassembled and SACKed like Linux does (cf. fixtures sack_*)", (t) => {
  const h = new Harness(t, { sack: true });
  const { conn, iss } = h.connect({ sackPermitted: true });
  const data = bytes(400, 9);
  const at = (from: number, to: number) => ({ seq: PEER_ISS + 1 + from, ack: iss + 1, flags: ACK, payload: data.subarray(from, to) });
  h.send(at(100, 200));
  h.expect(flags(ACK), ack(PEER_ISS + 1), sackBlocks([[PEER_ISS + 101, PEER_ISS + 201]]));
  h.send(at(300, 400));
  h.expect(flags(ACK), ack(PEER_ISS + 1), sackBlocks([[PEER_ISS + 301, PEER_ISS + 401], [PEER_ISS + 101, PEER_ISS + 201]]));
  h.send(at(0, 100));
  h.expect(flags(ACK), ack(PEER_ISS + 201), sackBlocks([[PEER_ISS + 301, PEER_ISS + 401]]));
  h.send(at(150, 350)); // overlaps both sides of the hole
  h.expect(flags(ACK), ack(PEER_ISS + 401), sackBlocks([]));
  t.deepEqual([...conn.read()!], [...data]);
});

test("out-of-order data beyond the segment bound is dropped, not stored", (t) => {
  const h = new Harness(t, { outOfOrderLimit: 2 });
  const { conn, iss } = h.connect();
  for (const offset of [100, 300, 500]) h.send({ seq: PEER_ISS + 1 + offset, ack: iss + 1, flags: ACK, payload: 10 });
  t.is(conn.tcb.outOfOrder.length, 2);
});

test("data outside the receive window is trimmed or dropped", (t) => {
  const h = new Harness(t, { receiveBufferSize: 1000 });
  const { conn, iss } = h.connect();
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, payload: 1500 });
  h.expect(flags(ACK), ack(PEER_ISS + 1001), window(0));
  t.is(conn.readable, 1000);
  h.send({ seq: PEER_ISS + 1001, ack: iss + 1, flags: ACK, payload: 10 });
  h.expect(flags(ACK), ack(PEER_ISS + 1001));
  t.is(h.stack.stats.rx.outOfWindow, 1);
  conn.read();
  h.expect(flags(ACK), ack(PEER_ISS + 1001), window(1000)); // the window update after reading
});

test("window scaling: the peer's window is shifted, ours is advertised shifted (RFC 7323 §2.3)", (t) => {
  const h = new Harness(t, { windowScaling: true });
  const { conn, iss } = h.connect({ windowScale: 2 }, 1000);
  t.is(conn.tcb.sndWnd, 1000, "a SYN-ACK's window is not scaled");
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, window: 1000 });
  t.is(conn.tcb.sndWnd, 4000);
  conn.noDelay = true;
  conn.write(bytes(10_000));
  h.expect(seq(iss + 1), payloadLength(1460), window(32768)); // 256 KiB >> 3
  h.expect(seq(iss + 1461), payloadLength(1460));
  h.expectNone("the remaining 1080 bytes of window are less than half the largest window (sender SWS)");
});

test("zero window: probes at the RTO with backoff until the window opens (RFC 9293 §3.8.6.1)", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect({}, 0);
  conn.write(bytes(100));
  h.expectNone("the window is closed");
  h.runToNextTimer(200);
  h.expect(flags(ACK), seq(iss + 1), payloadLength(1));
  const first = h.now;
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, window: 0 });
  h.runToNextTimer();
  h.expect(flags(ACK), seq(iss + 1), payloadLength(1));
  t.is(h.now - first, 400, "the probe interval doubles");
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, window: 65535 });
  h.expect(flags(ACK | PSH), seq(iss + 1), payloadLength(100));
});

test("Nagle: a small write waits while data is unacknowledged; noDelay sends at once", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  conn.write(bytes(10));
  h.expect(seq(iss + 1), payloadLength(10));
  conn.write(bytes(10));
  h.expectNone("Nagle holds the second small segment");
  h.send({ seq: PEER_ISS + 1, ack: iss + 11, flags: ACK });
  h.expect(seq(iss + 11), payloadLength(10));

  conn.noDelay = true;
  conn.write(bytes(10));
  h.expect(seq(iss + 21), payloadLength(10));
  conn.write(bytes(10));
  h.expect(seq(iss + 31), payloadLength(10));
});

test("the stack tells the owner when data arrives and when send space frees", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect();
  const seen: number[] = [];
  h.stack.onEvent = (target) => { if (target === conn) seen.push(conn.readable); };
  h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, payload: 5 });
  t.deepEqual(seen, [5]);
  const before = conn.changed;
  conn.write(bytes(10));
  h.flush();
  h.send({ seq: PEER_ISS + 6, ack: iss + 11, flags: ACK });
  t.true(conn.changed > before);
});
