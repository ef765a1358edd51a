/**
 * ack: what an acceptable ACK does to the send side (RFC 9293 §3.10.7.4 fifth step):
 * release acknowledged bytes, take an RTT sample, restart or stop the retransmission timer
 * (RFC 6298 §5.2–5.3), feed congestion control (new ACK or duplicate, RFC 5681 §2's
 * definition), record SACK blocks in the scoreboard, update the send window (SND.WL1/WL2
 * rule), and move FIN-WAIT-1, CLOSING and LAST-ACK on when our FIN is acknowledged.
 */

import { TcpFlags, type SackBlock } from "../wire/tcp.ts";
import { ringDrop } from "./byte_ring.ts";
import type { TcpConfig } from "./config.ts";
import { checkSpuriousRecovery, onDuplicateAck, onNewAck, onSackUpdate } from "./congestion.ts";
import type { Segment } from "./input.ts";
import { rttSample } from "./rtt.ts";
import { tsVal } from "./snd.ts";
import { seqDiff, seqGe, seqGt, seqLe, seqLt, seqMax, seqMin } from "./seq.ts";
import { TcpState } from "./state.ts";
import type { SeqRange, Tcb } from "./tcb.ts";
import { closeTcb, enterTimeWait, updatePersist } from "./timer.ts";

export function processAck(tcb: Tcb, config: TcpConfig, seg: Segment, now: number): void {
  const acked = seqDiff(seg.ack, tcb.sndUna);
  const window = seg.windowLen << tcb.sndWindowShift;
  if (tcb.sackOk && seg.options.sackBlocks !== undefined) recordSack(tcb, seg.options.sackBlocks);

  if (acked > 0) {
    let dataAcked = acked;
    if (tcb.sndUna === tcb.iss) dataAcked -= 1; // our SYN
    const finAcked = tcb.finQueued && dataAcked > tcb.sendBuffer.length;
    ringDrop(tcb.sendBuffer, dataAcked); // at most what it holds (the FIN takes a number but no byte)
    tcb.sndUna = seg.ack;
    if (seqLt(tcb.sndNxt, tcb.sndUna)) tcb.sndNxt = tcb.sndUna;
    if (seqLt(tcb.retransmitNext, tcb.sndUna)) tcb.retransmitNext = tcb.sndUna;
    if (tcb.sacked.length > 0) tcb.sacked = tcb.sacked.filter((r) => seqGt(r.right, tcb.sndUna));
    const ts = seg.options.timestamps;
    if (tcb.timestampsOk && ts !== undefined && ts.tsEcr !== 0) {
      rttSample(tcb, config, (tsVal(tcb, now) - ts.tsEcr) | 0); // our TSval now − the echoed one, mod 2^32
    } else if (tcb.rttSeq !== undefined && seqGe(seg.ack, tcb.rttSeq)) {
      rttSample(tcb, config, now - tcb.rttSentAt);
      tcb.rttSeq = undefined;
    }
    tcb.retries = 0;
    const recovering = tcb.inRecovery;
    const dupAcksSeen = tcb.dupAcks;
    onNewAck(tcb, acked, now);
    if (recovering && tcb.timestampsOk) checkSpuriousRecovery(tcb, ts?.tsEcr, dupAcksSeen);
    tcb.rtoAt = tcb.sndUna === tcb.sndMax ? Infinity : now + tcb.rto;
    tcb.changed += 1;
    if (finAcked) ourFinAcknowledged(tcb, config, now);
  } else if (
    acked === 0 && seg.payload.length === 0 && (seg.flags & (TcpFlags.SYN | TcpFlags.FIN)) === 0 &&
    seqGt(tcb.sndMax, tcb.sndUna) && window === tcb.sndWnd && window > 0 // a closed window's replies to probes are not duplicates
  ) {
    onDuplicateAck(tcb);
  }
  if (tcb.sackOk && seg.options.sackBlocks !== undefined && tcb.state !== TcpState.Closed) onSackUpdate(tcb);

  if (seqLt(tcb.sndWl1, seg.seq) || (tcb.sndWl1 === seg.seq && seqLe(tcb.sndWl2, seg.ack))) {
    if (window > tcb.sndWnd) tcb.changed += 1;
    tcb.sndWnd = window;
    if (window > tcb.maxSndWnd) tcb.maxSndWnd = window;
    tcb.sndWl1 = seg.seq;
    tcb.sndWl2 = seg.ack;
  }
  if (tcb.state !== TcpState.Closed) updatePersist(tcb, now);
}

function ourFinAcknowledged(tcb: Tcb, config: TcpConfig, now: number): void {
  if (tcb.state === TcpState.FinWait1) tcb.state = TcpState.FinWait2;
  else if (tcb.state === TcpState.Closing) enterTimeWait(tcb, config, now);
  else if (tcb.state === TcpState.LastAck) closeTcb(tcb, undefined);
}

/** Merges the peer's SACK blocks above sndUna into the sorted scoreboard (RFC 2018 §5). */
function recordSack(tcb: Tcb, blocks: readonly SackBlock[]): void {
  for (const block of blocks) {
    const left = seqMax(block.left, tcb.sndUna);
    const right = seqMin(block.right, tcb.sndMax);
    if (!seqLt(left, right)) continue; // below sndUna, above what we sent, or empty: ignore
    tcb.sacked.push({ left, right });
  }
  tcb.sacked.sort((a, b) => seqDiff(a.left, b.left));
  const merged: SeqRange[] = [];
  for (const range of tcb.sacked) {
    const last = merged[merged.length - 1];
    if (last !== undefined && seqLe(range.left, last.right)) last.right = seqMax(last.right, range.right);
    else merged.push({ ...range });
  }
  tcb.sacked = merged.slice(0, 64); // bounded: a peer cannot grow it
}
