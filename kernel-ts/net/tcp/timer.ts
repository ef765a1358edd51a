/**
 * timer: what happens when a TCB's deadlines pass. Deadlines are absolute milliseconds in
 * the TCB (Infinity when off); nothing here reads a clock — output(now) calls runTimers and
 * pollAt asks nextDeadline.
 *
 * - Retransmission (RFC 6298 §5): on expiry back the RTO off (doubling, capped), resend
 *   from sndUna (go-back-N under a one-segment window, congestion.ts), and give up with
 *   TimedOut after synRetries (handshake) or maxRetries (data) expiries in a row.
 * - Persist (zero-window probe, RFC 9293 §3.8.6.1): while the peer's window is zero and
 *   data waits, probe at RTO intervals with backoff; the peer's ACKs keep it alive.
 * - Delayed ACK: handled by snd.ts when delayedAckAt passes.
 * - TIME-WAIT: 2·MSL with MSL = 15 s, so 30 s (Linux holds 60 s). RFC 9293 §3.4.2's 2 min
 *   MSL dates from slow networks; old duplicates here are rejected also by PAWS (RFC 7323
 *   §5, timestamps on by default) and by RFC 6528 ISNs that climb with the clock, so a
 *   new incarnation starts above the old one's sequence space. 30 s bounds how long a
 *   closed connection's four-tuple and memory stay taken.
 * - Keepalive (RFC 1122 §4.2.3.6): off unless the owner turns it on; after keepAliveIdle of
 *   silence, probe every keepAliveInterval; keepAliveProbes unanswered → TimedOut.
 */

import { ringRelease } from "./byte_ring.ts";
import type { TcpConfig } from "./config.ts";
import { onRetransmitTimeout } from "./congestion.ts";
import { backOff } from "./rtt.ts";
import { seqDiff } from "./seq.ts";
import { TcpState } from "./state.ts";
import type { Tcb } from "./tcb.ts";

/** Enters CLOSED with an error code (or none). */
export function closeTcb(tcb: Tcb, error: Tcb["error"]): void {
  tcb.state = TcpState.Closed;
  if (error !== undefined && tcb.error === undefined) tcb.error = error;
  tcb.rtoAt = tcb.delayedAckAt = tcb.persistAt = tcb.timeWaitAt = tcb.keepAliveAt = Infinity;
  tcb.ackNow = tcb.probeDue = tcb.keepAliveDue = tcb.retransmitDue = false;
  ringRelease(tcb.sendBuffer); // only when empty: unread received bytes stay readable
  ringRelease(tcb.receiveBuffer);
  tcb.changed += 1;
}

export function enterTimeWait(tcb: Tcb, config: TcpConfig, now: number): void {
  tcb.state = TcpState.TimeWait;
  tcb.timeWaitAt = now + config.timeWait;
  tcb.rtoAt = tcb.persistAt = tcb.keepAliveAt = Infinity;
  // Both FINs are acknowledged: nothing will be sent again; what is received and unread stays.
  ringRelease(tcb.sendBuffer);
  ringRelease(tcb.receiveBuffer);
  tcb.changed += 1;
}

export function runTimers(tcb: Tcb, config: TcpConfig, now: number): void {
  if (tcb.timeWaitAt <= now) {
    closeTcb(tcb, undefined);
    return;
  }
  if (tcb.rtoAt <= now) {
    const limit = tcb.state === TcpState.SynSent || tcb.state === TcpState.SynReceived ? config.synRetries : config.maxRetries;
    if (tcb.retries >= limit) {
      closeTcb(tcb, "timedOut");
      return;
    }
    tcb.retries += 1;
    onRetransmitTimeout(tcb);
    backOff(tcb, config);
    tcb.rttSeq = undefined; // Karn: no sample across a retransmission
    tcb.sndNxt = tcb.sndUna;
    tcb.retransmitNext = tcb.sndUna;
    if (tcb.state === TcpState.SynSent || tcb.state === TcpState.SynReceived) tcb.sndNxt = tcb.iss;
    tcb.rtoAt = Infinity; // re-armed by the retransmission itself
  }
  if (tcb.persistAt <= now) {
    tcb.probeDue = true;
    tcb.persistBackoff = Math.min(tcb.persistBackoff * 2, config.maxRto);
    tcb.persistAt = now + tcb.persistBackoff;
  }
  if (tcb.keepAliveAt <= now) {
    if (tcb.keepAliveProbes >= config.keepAliveProbes) {
      closeTcb(tcb, "keepaliveTimedOut");
      return;
    }
    tcb.keepAliveProbes += 1;
    tcb.keepAliveDue = true;
    tcb.keepAliveAt = now + config.keepAliveInterval;
  }
}

/** Starts or stops the persist timer from the send state (after ACKs and writes). */
export function updatePersist(tcb: Tcb, now: number): void {
  const waiting = tcb.sendBuffer.length > seqDiff(tcb.sndNxt, tcb.sndUna);
  if (tcb.sndWnd === 0 && waiting && tcb.sndNxt === tcb.sndUna) {
    if (tcb.persistAt === Infinity) {
      tcb.persistBackoff = tcb.rto;
      tcb.persistAt = now + tcb.persistBackoff;
    }
  } else {
    tcb.persistAt = Infinity;
    tcb.probeDue = false;
  }
}

export function restartKeepAlive(tcb: Tcb, config: TcpConfig, now: number): void {
  tcb.lastReceivedAt = now;
  tcb.keepAliveProbes = 0;
  tcb.keepAliveAt = tcb.keepAliveEnabled && tcb.state === TcpState.Established ? now + config.keepAliveIdle : Infinity;
}

export function nextDeadline(tcb: Tcb): number {
  if (tcb.ackNow || tcb.retransmitDue || tcb.probeDue || tcb.keepAliveDue) return -Infinity;
  // Compared one by one, not Math.min: several times a segment, and a native call with
  // five arguments costs QuickJS more than the comparisons.
  let at = tcb.rtoAt;
  if (tcb.delayedAckAt < at) at = tcb.delayedAckAt;
  if (tcb.persistAt < at) at = tcb.persistAt;
  if (tcb.timeWaitAt < at) at = tcb.timeWaitAt;
  if (tcb.keepAliveAt < at) at = tcb.keepAliveAt;
  return at;
}
