/**
 * CUBIC (RFC 9438) against its own equations: the decrease to β·cwnd with W_max remembered
 * (§4.6) and fast convergence (§4.7); in congestion avoidance the window follows
 * W_cubic(t) = C·(t − K)³ + W_max — concave up to W_max, a plateau around t = K, convex
 * past it (§4.4, §4.5) — except where the Reno-friendly W_est is larger (§4.3). The
 * window is driven ACK by ACK, a full window per round trip, through the TCP stack's own
 * congestion functions on a real TCB.
 */
import test, { type ExecutionContext } from "ava";
import { onNewAck } from "../../../kernel-ts/net/tcp/congestion.ts";
import { CUBIC_ALPHA, cubicOnCongestion, cubicWindow } from "../../../kernel-ts/net/tcp/cubic.ts";
import type { Tcb } from "../../../kernel-ts/net/tcp/tcb.ts";
import { ACK, Harness, PEER_ISS, bytes, payloadLength, seq } from "./tcp_helpers/harness.ts";

const MSS = 1000;

/** A TCB in congestion avoidance right after a loss at W_max = 100 segments (cwnd = ssthresh = 70). */
function afterLoss(t: ExecutionContext, rttMs: number): Tcb {
  const h = new Harness(t);
  const { conn } = h.connect({ mss: MSS });
  const tcb = conn.tcb;
  tcb.sendMss = MSS;
  tcb.cwnd = 100 * MSS;
  tcb.ssthresh = cubicOnCongestion(tcb);
  tcb.cwnd = tcb.ssthresh;
  tcb.srtt = rttMs;
  tcb.hasRttSample = true;
  return tcb;
}

/** One round trip: a full window acknowledged a segment at a time, at `now`. */
function round(tcb: Tcb, now: number): void {
  const segments = Math.floor(tcb.cwnd / MSS);
  for (let i = 0; i < segments; i++) onNewAck(tcb, MSS, now);
}

test("a loss: ssthresh = 0.7·cwnd, W_max = cwnd; a second loss below W_max lowers W_max further (fast convergence)", (t) => {
  const tcb = afterLoss(t, 100);
  t.is(tcb.ssthresh, 70 * MSS);
  t.is(tcb.cubicWMax, 100 * MSS);
  tcb.cwnd = 80 * MSS;
  t.is(cubicOnCongestion(tcb), 56 * MSS);
  t.is(tcb.cubicWMax, 68 * MSS, "80 · (1 + 0.7) / 2");
});

test("with a 100 ms RTT the window follows W_cubic(t + RTT): concave to W_max, a plateau at t = K, convex beyond", (t) => {
  const tcb = afterLoss(t, 100);
  const k = Math.cbrt((100 - 70) / 0.4); // RFC 9438 eq. 2: 4.217 s
  const trace: Array<{ t: number; cwnd: number }> = [];
  for (let r = 0; r < 80; r++) {
    const now = 10_000 + r * 100;
    round(tcb, now);
    trace.push({ t: r * 0.1, cwnd: tcb.cwnd / MSS });
  }
  t.is(Number(tcb.cubicK.toFixed(3)), Number(k.toFixed(3)));
  // After the first rounds, each round ends within a segment and a half of W_cubic one RTT on.
  for (const { t: time, cwnd } of trace.slice(2)) {
    const expected = cubicWindow(time + 0.1, k, 100);
    t.true(Math.abs(cwnd - expected) <= 1.5, `t=${time.toFixed(1)} s: cwnd ${cwnd.toFixed(2)} vs W_cubic ${expected.toFixed(2)}`);
  }
  const at = (time: number) => trace.find((p) => Math.abs(p.t - time) < 0.05)!.cwnd;
  t.true(at(1) - at(0.5) > at(4) - at(3.5), "concave: growth slows towards W_max");
  t.true(Math.abs(at(4.2) - 100) < 1.5, "the plateau at W_max around t = K");
  t.true(at(7.9) > 105 && at(7.9) - at(7.4) > at(5) - at(4.5), "convex: past K the window probes beyond W_max, faster and faster");
});

test("with a 1 ms RTT the Reno-friendly window is larger and cwnd grows by α_cubic segments a round trip", (t) => {
  const tcb = afterLoss(t, 1);
  for (let r = 0; r < 300; r++) round(tcb, 10_000 + r);
  const wCubic = cubicWindow(0.3, tcb.cubicK, 100);
  const renoFriendly = 70 + CUBIC_ALPHA * 300;
  t.true(wCubic < 80, `W_cubic(0.3 s) = ${wCubic.toFixed(1)}`);
  t.true(Math.abs(tcb.cwnd / MSS - renoFriendly) < 3, `cwnd ${(tcb.cwnd / MSS).toFixed(1)} segments vs W_est ${renoFriendly.toFixed(1)}`);
});

test("the stack's default is CUBIC: three duplicate ACKs leave ssthresh at 0.7·cwnd, not half the flight", (t) => {
  const h = new Harness(t);
  const { conn, iss } = h.connect({ mss: 500 });
  conn.noDelay = true;
  conn.write(bytes(2000));
  for (let i = 0; i < 4; i++) h.expect(seq(iss + 1 + 500 * i), payloadLength(500));
  const cwnd = conn.tcb.cwnd;
  for (let i = 0; i < 3; i++) h.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK });
  h.expect(seq(iss + 1), payloadLength(500), "fast retransmit");
  t.is(conn.tcb.congestionControl, "cubic");
  t.is(conn.tcb.ssthresh, Math.floor(cwnd * 0.7));
  t.is(conn.tcb.cubicWMax, cwnd);
});
