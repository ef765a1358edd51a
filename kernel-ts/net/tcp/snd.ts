/**
 * snd: the send side — what segment goes out next. One function, emit(), turns the TCB's
 * state into segments in priority order: the SYN or SYN-ACK; a retransmission chosen by
 * fast recovery (skipping what the peer SACKed); new data cut to min(MSS, usable window)
 * with Nagle's rule (RFC 896, RFC 1122 §4.2.3.4; Minshall's variant) unless noDelay, and sender-side SWS
 * avoidance; the FIN after the last byte; a zero-window probe (RFC 9293 §3.8.6.1); a
 * keepalive probe (RFC 1122 §4.2.3.6); and a pure ACK when one is owed.
 *
 * Every segment is offered to `out`; when it returns false (the link is full) emit stops
 * and the TCB is left as if the segment had not been built, so the next call retries.
 */

import { ringView } from "./byte_ring.ts";
import { limitedTransmitAllowance } from "./congestion.ts";
import type { TcpConfig } from "./config.ts";
import { TcpFlags, type TcpOptions, type TcpRepr } from "../wire/tcp.ts";
import { sackBlocks, windowToAdvertise, receiveSpace } from "./rcv.ts";
import { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt, seqMax, seqMin } from "./seq.ts";
import { TcpState } from "./state.ts";
import type { Tcb } from "./tcb.ts";

/** Takes one segment (`segmentSize`: the payload per wire segment, for TSO); false when the link is full. */
export type SegmentSink = (repr: TcpRepr, segmentSize: number) => boolean;

/**
 * Our clock as a TSval (RFC 7323 §5.4: ms ticks plus a per-connection offset). `now >>> 0`
 * is now's floor (now ≥ 0) modulo 2^32, as the sum is taken: Math.floor's result, without
 * its call on every segment. One expression: written out in the kernel bundle (host/build/inline.ts).
 */
export function tsVal(tcb: Tcb, now: number): number {
  return ((now >>> 0) + tcb.tsOffset) >>> 0;
}

function baseOptions(tcb: Tcb, now: number, withSack: boolean): TcpOptions {
  const timestamps = tcb.timestampsOk ? { tsVal: tsVal(tcb, now), tsEcr: tcb.tsRecent } : undefined;
  const max = tcb.timestampsOk ? 3 : 4; // 40 option bytes: 12 for timestamps leave room for 3
  const blocks = withSack && tcb.sackOk && tcb.outOfOrder.length > 0 ? sackBlocks(tcb, max) : undefined;
  return { timestamps, sackBlocks: blocks };
}

/** A segment from us with ACK (if synchronized), our window and options. */
export function buildSegment(tcb: Tcb, now: number, flags: number, seq: number, payload: Uint8Array): TcpRepr {
  const syn = (flags & TcpFlags.SYN) !== 0;
  let options: TcpOptions;
  let windowLen: number;
  if (syn) {
    const active = tcb.state === TcpState.SynSent;
    options = {
      mss: tcb.receiveMss,
      sackPermitted: tcb.sackOk || undefined,
      timestamps: tcb.timestampsOk ? { tsVal: tsVal(tcb, now), tsEcr: active ? 0 : tcb.tsRecent } : undefined,
      windowScale: tcb.windowScaleOk ? tcb.rcvWindowShift : undefined,
    };
    windowLen = Math.min(receiveSpace(tcb), 0xffff); // RFC 7323 §2.2: a SYN's window is never scaled
    tcb.rcvAdvertised = seqAdd(tcb.rcvNxt, windowLen);
  } else {
    options = baseOptions(tcb, now, true);
    const scaled = windowToAdvertise(tcb) >>> tcb.rcvWindowShift; // compared, not Math.min: every segment (rcv.ts)
    windowLen = scaled < 0xffff ? scaled : 0xffff;
  }
  const withAck = tcb.state !== TcpState.SynSent || (flags & TcpFlags.ACK) !== 0;
  return {
    srcPort: tcb.localPort,
    dstPort: tcb.remotePort,
    seqNumber: seq,
    ackNumber: withAck ? tcb.rcvNxt : 0,
    flags: flags | (withAck ? TcpFlags.ACK : 0),
    windowLen,
    options,
    payload,
  };
}

/**
 * The most payload a segment may carry now: sendMss less the SACK option this segment will
 * carry (4 + 8 bytes a block). RFC 6691 §2: the MSS counts no options, so the sender makes
 * room for those it adds; sendMss already leaves room for timestamps, which every segment
 * carries. Without this, a data segment that also SACKs (data in both directions with a
 * hole) would exceed the path MTU and be dropped as too big, every time it is resent.
 */
export function segmentMss(tcb: Tcb): number {
  if (!tcb.sackOk || tcb.outOfOrder.length === 0) return tcb.sendMss;
  const blocks = sackBlocks(tcb, tcb.timestampsOk ? 3 : 4).length;
  return Math.max(1, tcb.sendMss - (blocks > 0 ? 4 + 8 * blocks : 0));
}

/**
 * The sequence number for a segment without data (Linux's tcp_acceptable_seq): the highest
 * we have sent, or the right edge of the peer's window if that is lower. Not sndNxt: after
 * a timeout sndNxt goes back to sndUna to resend, and the peer, which may hold everything
 * up to sndMax, finds a sequence number left of its window unacceptable and drops the
 * segment with its ACK (RFC 9293 §3.10.7.4). With data flowing both ways and both sides
 * retransmitting, each would then drop every ACK the other sends: a deadlock that ends
 * in TimedOut (found by tests/netsim at 5 % loss).
 */
export function acceptableSeq(tcb: Tcb): number {
  return seqMin(tcb.sndMax, seqAdd(tcb.sndUna, tcb.sndWnd));
}

/** Something we sent occupies sequence space: keep the retransmission timer running. */
function armRetransmit(tcb: Tcb, now: number): void {
  if (tcb.rtoAt === Infinity) tcb.rtoAt = now + tcb.rto;
}

function ackSent(tcb: Tcb): void {
  tcb.ackNow = false;
  tcb.delayedAckAt = Infinity;
  tcb.unackedSegments = 0;
}

/** Sequence number of our FIN (valid once the SYN is acknowledged). */
export function finSeq(tcb: Tcb): number {
  return seqAdd(tcb.sndUna, tcb.sendBuffer.length);
}

const EMPTY = new Uint8Array(0);

/** The bytes at `seq`: a view into the send buffer when they do not wrap (valid until it changes), else a copy. */
function payloadAt(tcb: Tcb, seq: number, length: number): Uint8Array {
  if (length === 0) return EMPTY;
  return ringView(tcb.sendBuffer, seqDiff(seq, tcb.sndUna), length);
}

function mayCarryData(state: TcpState): boolean {
  return state === TcpState.Established || state === TcpState.CloseWait || state === TcpState.FinWait1 ||
    state === TcpState.Closing || state === TcpState.LastAck;
}

/** Emits every segment due now. Returns false if `out` refused one. */
export function emit(tcb: Tcb, config: TcpConfig, now: number, out: SegmentSink): boolean {
  if (tcb.state === TcpState.Closed || tcb.state === TcpState.Listen) return true;

  if (tcb.state === TcpState.SynSent || tcb.state === TcpState.SynReceived) {
    if (tcb.sndNxt === tcb.iss) {
      const flags = TcpFlags.SYN | (tcb.state === TcpState.SynReceived ? TcpFlags.ACK : 0);
      if (!out(buildSegment(tcb, now, flags, tcb.iss, EMPTY), tcb.sendMss)) return false;
      if (tcb.retries === 0) tcb.rttSentAt = now; // the handshake's RTT sample without timestamps
      tcb.sndNxt = seqAdd(tcb.iss, 1);
      tcb.sndMax = seqMax(tcb.sndMax, tcb.sndNxt);
      ackSent(tcb);
      armRetransmit(tcb, now);
    } else if (tcb.ackNow && tcb.state === TcpState.SynReceived) {
      // An unacceptable segment in SYN-RECEIVED is answered with <SEQ=SND.NXT><ACK=RCV.NXT>.
      if (!out(buildSegment(tcb, now, TcpFlags.ACK, tcb.sndNxt, EMPTY), tcb.sendMss)) return false;
    }
    ackSent(tcb);
    return true;
  }

  if (mayCarryData(tcb.state)) {
    const mss = segmentMss(tcb);
    if (tcb.retransmitDue && !retransmitHole(tcb, now, mss, out)) return false;
    if (!sendNewData(tcb, config, now, mss, out)) return false;
    if (tcb.probeDue) {
      tcb.probeDue = false;
      if (tcb.sendBuffer.length > seqDiff(tcb.sndNxt, tcb.sndUna) && tcb.sndNxt === tcb.sndUna) {
        // One byte past a closed window (RFC 9293 §3.8.6.1); it stays unsent in sndNxt's
        // terms, so the peer's ACK of it moves sndUna and sndNxt together.
        if (!out(buildSegment(tcb, now, TcpFlags.ACK, tcb.sndNxt, payloadAt(tcb, tcb.sndNxt, 1)), tcb.sendMss)) { tcb.probeDue = true; return false; }
        tcb.sndMax = seqMax(tcb.sndMax, seqAdd(tcb.sndNxt, 1));
        ackSent(tcb);
      }
    }
  }

  if (tcb.keepAliveDue) {
    // RFC 1122 §4.2.3.6: an old sequence number makes the peer answer with an ACK.
    if (!out(buildSegment(tcb, now, TcpFlags.ACK, seqAdd(tcb.sndUna, -1), EMPTY), tcb.sendMss)) return false;
    tcb.keepAliveDue = false;
  }

  if (tcb.ackNow || tcb.delayedAckAt <= now) {
    if (!out(buildSegment(tcb, now, TcpFlags.ACK, acceptableSeq(tcb), EMPTY), tcb.sendMss)) return false;
    ackSent(tcb);
  }
  return true;
}

/** Fast retransmit / recovery: one segment from retransmitNext, skipping SACKed ranges. */
function retransmitHole(tcb: Tcb, now: number, mss: number, out: SegmentSink): boolean {
  let seq = seqMax(tcb.retransmitNext, tcb.sndUna);
  for (const block of tcb.sacked) if (seqLe(block.left, seq) && seqLt(seq, block.right)) seq = block.right;
  // Past the first hole, SACK-driven retransmission resends only bytes below the highest
  // SACKed byte: those are the ones the scoreboard says are missing (RFC 6675 §4 IsLost, simplified).
  const highest = tcb.sacked[tcb.sacked.length - 1];
  if (tcb.sackOk && seq !== tcb.sndUna && (highest === undefined || seqGe(seq, highest.right))) {
    tcb.retransmitDue = false;
    return true;
  }
  let limit = tcb.sndMax;
  for (const block of tcb.sacked) if (seqGt(block.left, seq) && seqLt(block.left, limit)) limit = block.left;
  const dataEnd = finSeq(tcb);
  const dataLimit = seqLt(dataEnd, limit) ? dataEnd : limit;
  const length = Math.max(0, Math.min(mss, seqDiff(dataLimit, seq)));
  const fin = tcb.finQueued && seqGe(seqAdd(seq, length), dataEnd) && seqLt(dataEnd, tcb.sndMax);
  if (length > 0 || fin) {
    const flags = TcpFlags.ACK | (fin ? TcpFlags.FIN : 0);
    if (!out(buildSegment(tcb, now, flags, seq, payloadAt(tcb, seq, length)), mss)) return false;
    if (tcb.inRecovery && tcb.recoveryTsVal === undefined && tcb.timestampsOk) tcb.recoveryTsVal = tsVal(tcb, now); // Eifel
    tcb.retransmitNext = seqAdd(seq, length + (fin ? 1 : 0));
    if (tcb.rttSeq !== undefined && seqLe(seq, tcb.rttSeq)) tcb.rttSeq = undefined; // Karn
    ackSent(tcb);
    armRetransmit(tcb, now);
  }
  tcb.retransmitDue = false;
  return true;
}

/**
 * The most new data one segment may carry: the MSS, or with TSO (config.tsoMaxBytes) as many
 * whole MSS-sized segments as fit, which the device cuts apart (RFC 9293 §3.7.1 still holds
 * on the wire). Retransmissions stay MSS-sized.
 */
function sendLimit(config: TcpConfig, mss: number): number {
  return config.tsoMaxBytes > 2 * mss ? Math.floor(config.tsoMaxBytes / mss) * mss : mss;
}

function sendNewData(tcb: Tcb, config: TcpConfig, now: number, mss: number, out: SegmentSink): boolean {
  const dataEnd = finSeq(tcb);
  const limit = sendLimit(config, mss);
  for (;;) {
    const available = seqDiff(dataEnd, tcb.sndNxt);
    // Nothing unsent and no FIN to send (a FIN already sent leaves available at -1): the
    // usual last round, and the whole call when emit runs for an ACK or a timer.
    if (available < 0 || (available === 0 && !tcb.finQueued)) return true;
    const inFlight = seqDiff(tcb.sndNxt, tcb.sndUna);
    const allowed = tcb.cwnd + limitedTransmitAllowance(tcb);
    const usable = (tcb.sndWnd < allowed ? tcb.sndWnd : allowed) - inFlight;
    // Compared, not Math.min/Math.max: every segment (rcv.ts).
    let length = available < limit ? available : limit;
    if (usable < length) length = usable;
    if (length < 0) length = 0;
    // A TSO segment is whole MSS-sized pieces, but for the last bytes written (Linux's rule):
    // a short piece in the middle of the stream would be a runt on the wire.
    if (length > mss && length < available) length -= length % mss;
    const fin = tcb.finQueued && length === available;
    if (length === 0 && !fin) return true;
    // Nagle and SWS avoidance decide when to send new data; a retransmission goes at once.
    if (length > 0 && length < mss && seqGe(tcb.sndNxt, tcb.sndMax)) {
      if (length < available) {
        // Window-limited: wait for a worthwhile window (RFC 1122 §4.2.3.4 sender SWS).
        if (length < tcb.maxSndWnd / 2) return true;
      } else if (!tcb.noDelay && !fin && seqGt(tcb.smallSegmentEnd, tcb.sndUna)) {
        // Nagle (RFC 896) in Minshall's form, as Linux: a small tail waits while an earlier
        // small segment is unacknowledged, so a write's last piece is not held behind full ones.
        return true;
      }
    }
    const flags = TcpFlags.ACK | (length > 0 && length === available ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
    if (!out(buildSegment(tcb, now, flags, tcb.sndNxt, payloadAt(tcb, tcb.sndNxt, length)), mss)) return false;
    const isNew = seqGe(tcb.sndNxt, tcb.sndMax);
    if (isNew && !tcb.timestampsOk && tcb.rttSeq === undefined && length > 0) {
      tcb.rttSeq = seqAdd(tcb.sndNxt, length);
      tcb.rttSentAt = now;
    }
    if (!isNew && tcb.rttSeq !== undefined && seqLt(tcb.sndNxt, tcb.rttSeq)) tcb.rttSeq = undefined; // Karn
    if (length > 0 && length < mss) tcb.smallSegmentEnd = seqAdd(tcb.sndNxt, length);
    tcb.sndNxt = seqAdd(tcb.sndNxt, length + (fin ? 1 : 0));
    tcb.sndMax = seqMax(tcb.sndMax, tcb.sndNxt);
    ackSent(tcb);
    armRetransmit(tcb, now);
    if (fin) return true;
  }
}
