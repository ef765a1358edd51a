/**
 * congestion: NewReno (RFC 5681 slow start and congestion avoidance, fast retransmit and
 * fast recovery; RFC 6582 partial ACKs and the `recover` guard). Windows are in bytes.
 * With SACK the same windows apply; snd.ts uses the scoreboard to choose which bytes a
 * retransmission carries (RFC 6675's spirit, without its pipe estimate).
 *
 * CUBIC (RFC 9438) is not here yet: NewReno is the default until CUBIC has tests of its own.
 */

import type { Tcb } from "./tcb.ts";
import { seqDiff, seqGe } from "./seq.ts";

/** RFC 5681 §3.1 initial window (equation 3). */
export function initialWindow(mss: number): number {
  if (mss > 2190) return 2 * mss;
  if (mss > 1095) return 3 * mss;
  return 4 * mss;
}

export function flightSize(tcb: Tcb): number {
  return seqDiff(tcb.sndMax, tcb.sndUna);
}

/** New data acknowledged (`acked` bytes): grow the window or finish recovery. */
export function onNewAck(tcb: Tcb, acked: number): void {
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
  if (tcb.cwnd < tcb.ssthresh) tcb.cwnd = Math.min(tcb.cwnd + acked, Math.max(tcb.ssthresh, tcb.cwnd + mss));
  else tcb.cwnd += Math.max(1, Math.floor((mss * mss) / tcb.cwnd)); // congestion avoidance
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
  // RFC 6582 §3.2 step 1: enter only if the ACK covers more than `recover`, so a
  // retransmission's own duplicates do not start a second recovery.
  if (tcb.dupAcks === 3 && seqDiff(tcb.sndUna, tcb.recover) > 0) {
    tcb.ssthresh = Math.max(Math.floor(flightSize(tcb) / 2), 2 * mss);
    tcb.recover = tcb.sndMax;
    tcb.cwnd = tcb.ssthresh + 3 * mss;
    tcb.inRecovery = true;
    tcb.retransmitNext = tcb.sndUna;
    tcb.retransmitDue = true;
  }
}

/** The retransmission timer fired (RFC 5681 §3.1 equation 4, loss window one segment). */
export function onRetransmitTimeout(tcb: Tcb): void {
  tcb.ssthresh = Math.max(Math.floor(flightSize(tcb) / 2), 2 * tcb.sendMss);
  tcb.cwnd = tcb.sendMss;
  tcb.recover = tcb.sndMax;
  tcb.inRecovery = false;
  tcb.dupAcks = 0;
  tcb.retransmitDue = false;
  // RFC 2018 §8: after a timeout the receiver may have reneged; forget the scoreboard.
  tcb.sacked = [];
}
