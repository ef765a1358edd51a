/**
 * cubic: CUBIC congestion control (RFC 9438), the window's growth in congestion avoidance
 * and its reduction at a congestion event. Slow start, fast retransmit and fast recovery
 * stay NewReno's (congestion.ts), as RFC 9438 §4.8 and §4.10 allow; CUBIC replaces:
 *
 *   - the decrease (§4.6): ssthresh = cwnd · β_cubic (β_cubic = 0.7) instead of half the
 *     flight, with W_max remembered — lowered further when the window had not regained
 *     its last W_max (fast convergence, §4.7);
 *   - the increase (§4.2–4.5): in each congestion-avoidance ACK the window heads for
 *     W_cubic(t + RTT) = C·(t + RTT − K)³ + W_max, t the time since the epoch began
 *     (the first ACK after the event), K = ∛((W_max − cwnd_epoch) / C), C = 0.4;
 *     a target is clamped to [cwnd, 1.5·cwnd] and approached by (target − cwnd)/cwnd per
 *     segment acknowledged; where W_cubic is below W_est, the window an AIMD flow with
 *     α_cubic = 3(1 − β)/(1 + β) would have (§4.3, the Reno-friendly region), cwnd follows W_est.
 *
 * Windows in the RFC are in segments; here W_max and W_est are kept in bytes (tcb fields)
 * and converted with the MSS, so the arithmetic is the RFC's. Time: ms in, seconds inside.
 * The state is plain data on the TCB (cubicWMax, cubicK, cubicEpochStart, cubicWEst).
 */

import type { Tcb } from "./tcb.ts";

export const CUBIC_C = 0.4;
export const CUBIC_BETA = 0.7;
/** α_cubic: the AIMD increase per RTT with which W_est matches Reno's average rate (§4.3). */
export const CUBIC_ALPHA = (3 * (1 - CUBIC_BETA)) / (1 + CUBIC_BETA);

/** W_cubic(t) in segments (RFC 9438 eq. 1): t and K in seconds, wMax in segments. */
export function cubicWindow(t: number, k: number, wMax: number): number {
  return CUBIC_C * (t - k) ** 3 + wMax;
}

/**
 * A congestion event (fast retransmit or timeout): remember W_max (with fast convergence),
 * end the growth epoch, and return the new ssthresh in bytes (§4.6, §4.7).
 */
export function cubicOnCongestion(tcb: Tcb): number {
  const mss = tcb.sendMss;
  tcb.cubicPriorWMax = tcb.cubicWMax;
  tcb.cubicWMax = tcb.cwnd < tcb.cubicWMax ? Math.floor((tcb.cwnd * (1 + CUBIC_BETA)) / 2) : tcb.cwnd;
  tcb.cubicEpochStart = -1;
  return Math.max(Math.floor(tcb.cwnd * CUBIC_BETA), 2 * mss);
}

/** A spurious event was undone (RFC 9438 §4.9): W_max as it was before it. */
export function cubicUndo(tcb: Tcb): void {
  tcb.cubicWMax = tcb.cubicPriorWMax;
  tcb.cubicEpochStart = -1;
}

/** Congestion avoidance: `acked` new bytes acknowledged at `now` (ms). */
export function cubicOnAck(tcb: Tcb, acked: number, now: number): void {
  const mss = tcb.sendMss;
  if (tcb.cubicEpochStart < 0) {
    // §4.2: the epoch starts with the first ACK in congestion avoidance after an event.
    tcb.cubicEpochStart = now;
    if (tcb.cwnd < tcb.cubicWMax) tcb.cubicK = Math.cbrt((tcb.cubicWMax - tcb.cwnd) / mss / CUBIC_C);
    else {
      tcb.cubicK = 0; // above the last W_max (or none yet): the curve starts here
      tcb.cubicWMax = tcb.cwnd;
    }
    tcb.cubicWEst = tcb.cwnd;
  }
  const cwnd = tcb.cwnd / mss;
  const segmentsAcked = acked / mss;
  const rtt = tcb.hasRttSample ? tcb.srtt / 1000 : 0;
  const t = (now - tcb.cubicEpochStart) / 1000;
  const wMax = tcb.cubicWMax / mss;
  // §4.3: W_est grows by α_cubic segments per cwnd of acknowledged data.
  tcb.cubicWEst += (CUBIC_ALPHA * segmentsAcked / cwnd) * mss;
  if (cubicWindow(t, tcb.cubicK, wMax) < tcb.cubicWEst / mss) {
    tcb.cwnd = Math.max(tcb.cwnd, Math.floor(tcb.cubicWEst)); // the Reno-friendly region
    return;
  }
  // §4.4–4.5: concave or convex region, towards W_cubic one RTT ahead.
  const target = Math.min(Math.max(cubicWindow(t + rtt, tcb.cubicK, wMax), cwnd), 1.5 * cwnd);
  const increase = ((target - cwnd) / cwnd) * segmentsAcked;
  tcb.cwnd = Math.floor((cwnd + increase) * mss);
}
