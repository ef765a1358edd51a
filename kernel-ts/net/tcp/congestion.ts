/**
 * congestion: NewReno (RFC 5681 slow start and congestion avoidance, fast retransmit and
 * fast recovery; RFC 6582 partial ACKs and the `recover` guard). Windows are in bytes.
 * With SACK the same windows apply; snd.ts uses the scoreboard to choose which bytes a
 * retransmission carries (RFC 6675's spirit, without its pipe estimate).
 *
 * Loss detection, tuned with tests/netsim (a path that loses and reorders):
 * - the threshold is tcb.dupThresh duplicate ACKs, or as many segments SACKed above
 *   SND.UNA (RFC 6675 §5: the scoreboard still counts when duplicate ACKs are lost);
 * - for a small flight the threshold drops to what the flight can produce (RFC 5827 early
 *   retransmit), so a loss among four segments is not left to the RTO;
 * - a recovery whose first retransmission was not needed (Eifel, RFC 3522: the ACK echoes
 *   a timestamp older than the retransmission) is undone (RFC 4015: cwnd and ssthresh
 *   restored) and dupThresh is raised past the reordering seen, up to MAX_DUP_THRESH;
 * - limited transmit (RFC 3042, extended as RFC 4653 does while dupThresh is above 3):
 *   each duplicate ACK below the threshold lets one new segment out, keeping the ACK
 *   clock running while the sender waits to tell reordering from loss.
 *
 * The window's growth in congestion avoidance and its decrease at a loss are CUBIC's
 * (cubic.ts, RFC 9438) when tcb.congestionControl is "cubic", the default, else NewReno's.
 */

import { cubicOnAck, cubicOnCongestion, cubicUndo } from "./cubic.ts";
import type { Tcb } from "./tcb.ts";
import { seqDiff, seqGe, seqLt } from "./seq.ts";

export const INITIAL_DUP_THRESH = 3;
/** tcb.recoveryTsVal once this episode's first retransmission has been judged (a TSval is never negative). */
export const RECOVERY_CHECKED = -1;
/** The most reordering (in segments) tolerated before a loss is declared; Linux allows 300. */
export const MAX_DUP_THRESH = 64;

/**
 * RFC 6928 §2 initial window: min(10·MSS, max(2·MSS, 14600)) — ten segments at Ethernet's
 * MSS, as Linux has sent since 2.6.39, instead of RFC 5681's three. Short transfers (an
 * HTTP response) finish a round trip or two sooner.
 */
export function initialWindow(mss: number): number {
  return Math.min(10 * mss, Math.max(2 * mss, 14600));
}

export function flightSize(tcb: Tcb): number {
  return seqDiff(tcb.sndMax, tcb.sndUna);
}

/**
 * Duplicate ACKs that mean a loss now: dupThresh, but never more than the flight can
 * produce (segments in flight − 1, at least 1: RFC 5827 §3.1 early retransmit).
 */
export function lossThreshold(tcb: Tcb): number {
  const segments = Math.ceil(flightSize(tcb) / tcb.sendMss);
  return Math.max(1, Math.min(tcb.dupThresh, segments - 1));
}

/** Bytes beyond cwnd that limited transmit lets out now (RFC 3042 §2, RFC 4653 §3.1). */
export function limitedTransmitAllowance(tcb: Tcb): number {
  if (tcb.inRecovery || tcb.dupAcks === 0) return 0;
  return Math.min(tcb.dupAcks, Math.max(2, tcb.dupThresh - 1)) * tcb.sendMss;
}

/** ssthresh after a congestion event: half the flight (RFC 5681 eq. 4) or CUBIC's β·cwnd. */
function reducedThreshold(tcb: Tcb): number {
  if (tcb.congestionControl === "cubic") return cubicOnCongestion(tcb);
  return Math.max(Math.floor(flightSize(tcb) / 2), 2 * tcb.sendMss);
}

/** New data acknowledged (`acked` bytes, at `now` ms): grow the window or finish recovery. */
export function onNewAck(tcb: Tcb, acked: number, now: number): void {
  const mss = tcb.sendMss;
  tcb.dupAcks = 0;
  if (tcb.inRecovery) {
    if (seqGe(tcb.sndUna, tcb.recover)) {
      // Full acknowledgement (RFC 6582 §3.2 step 3): deflate.
      tcb.cwnd = Math.min(tcb.ssthresh, Math.max(flightSize(tcb), mss) + mss);
      tcb.inRecovery = false;
    } else {
      // Partial acknowledgement (step 4): retransmit the next hole, deflate by what was acked.
      tcb.retransmitNext = tcb.sndUna;
      tcb.retransmitDue = true;
      tcb.cwnd = Math.max(tcb.cwnd - acked + (acked >= mss ? mss : 0), mss);
    }
    return;
  }
  // Slow start counts acknowledged bytes (RFC 3465). The limit L of 2·MSS per ACK is not
  // applied: an output turn batches the receiver's ACKs into stretch ACKs, and capping them
  // would make slow start linear (Linux counts every acknowledged segment too).
  if (tcb.cwnd < tcb.ssthresh) {
    // min(cwnd + acked, max(ssthresh, cwnd + mss)), compared: every ACK in slow start (rcv.ts says why).
    const ceiling = tcb.ssthresh > tcb.cwnd + mss ? tcb.ssthresh : tcb.cwnd + mss;
    tcb.cwnd = tcb.cwnd + acked < ceiling ? tcb.cwnd + acked : ceiling;
  } else if (tcb.congestionControl === "cubic") cubicOnAck(tcb, acked, now);
  else tcb.cwnd += Math.max(1, Math.floor((mss * mss) / tcb.cwnd)); // congestion avoidance (RFC 5681 eq. 3)
}

/** A duplicate ACK (RFC 5681 §2 definition, checked by the caller). */
export function onDuplicateAck(tcb: Tcb): void {
  const mss = tcb.sendMss;
  tcb.dupAcks += 1;
  if (tcb.inRecovery) {
    tcb.cwnd += mss; // inflate: a segment has left the network
    if (tcb.sackOk) tcb.retransmitDue = true; // the scoreboard may show the next hole
    return;
  }
  if (tcb.dupAcks >= lossThreshold(tcb)) enterRecovery(tcb);
}

/** SACKed bytes above SND.UNA, in whole segments (RFC 6675 §4 IsLost's count). */
export function sackedSegments(tcb: Tcb): number {
  let bytes = 0;
  for (const range of tcb.sacked) bytes += seqDiff(range.right, range.left);
  return Math.floor(bytes / tcb.sendMss);
}

/** After any ACK with SACK blocks: enough SACKed above the hole means it is lost (RFC 6675 §5). */
export function onSackUpdate(tcb: Tcb): void {
  if (tcb.inRecovery || !tcb.sackOk) return;
  if (sackedSegments(tcb) >= lossThreshold(tcb)) enterRecovery(tcb);
}

/** Fast retransmit and the start of fast recovery (RFC 5681 §3.2 steps 2–4, RFC 6582 §3.2 step 2). */
function enterRecovery(tcb: Tcb): void {
  // RFC 6582 §3.2 step 1: enter only if the ACK covers more than `recover`, so a
  // retransmission's own duplicates do not start a second recovery.
  if (seqDiff(tcb.sndUna, tcb.recover) <= 0) return;
  const mss = tcb.sendMss;
  tcb.priorCwnd = tcb.cwnd;
  tcb.priorSsthresh = tcb.ssthresh;
  tcb.ssthresh = reducedThreshold(tcb);
  tcb.recover = tcb.sndMax;
  tcb.cwnd = tcb.ssthresh + 3 * mss;
  tcb.inRecovery = true;
  tcb.recoveryTsVal = undefined;
  tcb.retransmitNext = tcb.sndUna;
  tcb.retransmitDue = true;
}

/**
 * The first ACK to move SND.UNA during a recovery, with its echoed timestamp: if the echo
 * is older than our retransmission, the original arrived and the recovery was spurious
 * (RFC 3522 §2). Then restore the window (RFC 4015 §3.2) and tolerate more reordering.
 * `dupAcksSeen` is how many duplicates this episode drew: the reordering's extent.
 */
export function checkSpuriousRecovery(tcb: Tcb, tsEcr: number | undefined, dupAcksSeen: number): void {
  const retransmitted = tcb.recoveryTsVal;
  if (retransmitted === undefined || retransmitted === RECOVERY_CHECKED) return;
  tcb.recoveryTsVal = RECOVERY_CHECKED;
  if (tsEcr === undefined || !seqLt(tsEcr, retransmitted)) return;
  tcb.spuriousRecoveries += 1;
  if (tcb.congestionControl === "cubic") cubicUndo(tcb);
  tcb.cwnd = Math.max(tcb.cwnd, tcb.priorCwnd);
  tcb.ssthresh = Math.max(tcb.ssthresh, tcb.priorSsthresh);
  tcb.inRecovery = false;
  tcb.retransmitDue = false;
  tcb.dupThresh = Math.min(MAX_DUP_THRESH, Math.max(tcb.dupThresh + 1, dupAcksSeen + 1));
}

/** The retransmission timer fired (RFC 5681 §3.1 equation 4, loss window one segment). */
export function onRetransmitTimeout(tcb: Tcb): void {
  tcb.ssthresh = reducedThreshold(tcb);
  tcb.cwnd = tcb.sendMss;
  tcb.recover = tcb.sndMax;
  tcb.inRecovery = false;
  tcb.recoveryTsVal = RECOVERY_CHECKED;
  tcb.dupAcks = 0;
  tcb.retransmitDue = false;
  // RFC 2018 §8: after a timeout the receiver may have reneged; forget the scoreboard.
  tcb.sacked = [];
}
