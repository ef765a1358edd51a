/**
 * rcv: the receive side — segment acceptability (RFC 9293 §3.10.7.4 "first, check sequence
 * number"), the receive window with silly-window avoidance (RFC 1122 §4.2.3.3), in-order
 * delivery, reassembly of out-of-order data (bounded by the window and by a segment count),
 * ACK policy (delayed ACK, RFC 1122 §4.2.3.2 and RFC 5681 §4.2), and SACK blocks (RFC 2018).
 */

import { ringFree, ringPush } from "./byte_ring.ts";
import type { TcpConfig } from "./config.ts";
import { seqAdd, seqDiff, seqGe, seqGt, seqInRange, seqLe, seqLt, seqMax } from "./seq.ts";
import type { SeqRange, Tcb } from "./tcb.ts";

/** Bytes the receive buffer can still take (the window we can honour). Written out in the kernel bundle (host/build/inline.ts). */
export function receiveSpace(tcb: Tcb): number {
  return ringFree(tcb.receiveBuffer);
}

/**
 * The window to put in a segment, in bytes, never moving the right edge left (RFC 9293
 * §3.8.6.2.2) and moving it right only by a worthwhile amount (receiver SWS avoidance:
 * min(buffer/2, MSS)). Records the edge advertised.
 */
export function windowToAdvertise(tcb: Tcb): number {
  const edge = seqAdd(tcb.rcvNxt, receiveSpace(tcb));
  const threshold = sillyWindowThreshold(tcb);
  if (seqDiff(edge, tcb.rcvAdvertised) >= threshold || seqLt(tcb.rcvAdvertised, tcb.rcvNxt)) tcb.rcvAdvertised = edge;
  const advertised = seqDiff(tcb.rcvAdvertised, tcb.rcvNxt);
  return advertised > 0 ? advertised : 0;
}

/** Would a window update now open the window worthwhile? (Checked after the owner reads.) */
export function windowUpdateWorthwhile(tcb: Tcb): boolean {
  const ahead = seqDiff(tcb.rcvAdvertised, tcb.rcvNxt);
  const advertised = ahead > 0 ? ahead : 0;
  const threshold = sillyWindowThreshold(tcb);
  return advertised < threshold && receiveSpace(tcb) - advertised >= threshold;
}

/**
 * min(buffer/2, MSS). Here and on the other per-segment paths of tcp/, minima and maxima are
 * comparisons, not Math.min/Math.max: under QuickJS each of those is a global lookup, a
 * property read and a native call, about ten times the comparison's cost.
 */
function sillyWindowThreshold(tcb: Tcb): number {
  return tcb.receiveBuffer.limit / 2 < tcb.receiveMss ? tcb.receiveBuffer.limit / 2 : tcb.receiveMss; // one expression: inlined (host/build/inline.ts)
}

/** RFC 9293 §3.10.7.4 table: may a segment of `length` (SYN and FIN counted) at `seq` be processed? */
export function segmentAcceptable(tcb: Tcb, seq: number, length: number): boolean {
  const space = receiveSpace(tcb);
  const advertised = seqDiff(tcb.rcvAdvertised, tcb.rcvNxt);
  const window = space > advertised ? space : advertised;
  const end = seqAdd(tcb.rcvNxt, window);
  if (length === 0) return window === 0 ? seq === tcb.rcvNxt : seqInRange(seq, tcb.rcvNxt, end);
  if (window === 0) return false;
  return seqInRange(seq, tcb.rcvNxt, end) || seqInRange(seqAdd(seq, length - 1), tcb.rcvNxt, end);
}

export interface TextResult {
  /** The peer's FIN is now in order: rcvNxt has counted it. */
  readonly finAccepted: boolean;
}

/**
 * Processes a segment's text (RFC 9293 §3.10.7.4 seventh and eighth steps). Sets ackNow or
 * the delayed-ACK timer. `payload` is a view into the frame: what is kept is copied.
 */
export function receiveText(tcb: Tcb, config: TcpConfig, now: number, seq: number, payload: Uint8Array, fin: boolean): TextResult {
  let start = seq;
  let bytes = payload;
  const behind = seqDiff(tcb.rcvNxt, start);
  if (behind > 0) {
    if (behind > bytes.length) fin = false; // the FIN too is old
    bytes = bytes.subarray(Math.min(behind, bytes.length));
    start = tcb.rcvNxt;
  }
  const overflow = seqDiff(start, tcb.rcvNxt) + bytes.length - receiveSpace(tcb);
  if (overflow > 0) {
    bytes = bytes.subarray(0, Math.max(0, bytes.length - overflow));
    fin = false;
    tcb.ackNow = true; // some of it did not fit: say at once where the window ends
  }
  if (bytes.length === 0 && !fin) {
    if (payload.length > 0) tcb.ackNow = true; // a duplicate: tell the peer where we are
    return { finAccepted: false };
  }

  if (start !== tcb.rcvNxt) {
    storeOutOfOrder(tcb, config, start, bytes, fin);
    tcb.ackNow = true; // RFC 5681 §4.2: an out-of-order segment is ACKed at once
    return { finAccepted: false };
  }

  const filledHole = tcb.outOfOrder.length > 0;
  deliver(tcb, bytes);
  pullOutOfOrder(tcb);
  let finAccepted = false;
  if (fin || (tcb.outOfOrderFin !== undefined && tcb.outOfOrderFin === tcb.rcvNxt)) {
    tcb.rcvNxt = seqAdd(tcb.rcvNxt, 1);
    tcb.finReceived = true;
    tcb.outOfOrderFin = undefined;
    finAccepted = true;
  }
  if (filledHole || finAccepted) tcb.ackNow = true;
  else if (bytes.length > 0) {
    tcb.unackedSegments += 1;
    if (tcb.unackedSegments >= 2) tcb.ackNow = true;
    else if (tcb.delayedAckAt === Infinity) tcb.delayedAckAt = now + config.delayedAck;
  }
  tcb.changed += 1;
  return { finAccepted };
}

function deliver(tcb: Tcb, bytes: Uint8Array): void {
  if (!tcb.readClosed) ringPush(tcb.receiveBuffer, bytes);
  tcb.rcvNxt = seqAdd(tcb.rcvNxt, bytes.length);
}

function pullOutOfOrder(tcb: Tcb): void {
  while (tcb.outOfOrder.length > 0) {
    const first = tcb.outOfOrder[0]!;
    if (seqGt(first.seq, tcb.rcvNxt)) break;
    tcb.outOfOrder.shift();
    const skip = seqDiff(tcb.rcvNxt, first.seq);
    if (skip < first.bytes.length) deliver(tcb, first.bytes.subarray(skip));
  }
}

/** Keeps the parts of [start, start+len) not already held; drops all of it past the count bound. */
function storeOutOfOrder(tcb: Tcb, config: TcpConfig, start: number, bytes: Uint8Array, fin: boolean): void {
  const end = seqAdd(start, bytes.length);
  if (fin) tcb.outOfOrderFin = end;
  if (bytes.length === 0) return;
  tcb.lastOutOfOrder = { left: start, right: end };
  const pieces: Array<{ seq: number; bytes: Uint8Array }> = [];
  let cursor = start;
  for (const held of tcb.outOfOrder) {
    const heldEnd = seqAdd(held.seq, held.bytes.length);
    if (seqLe(heldEnd, cursor)) continue;
    if (seqGe(held.seq, end)) break;
    if (seqGt(held.seq, cursor)) pieces.push({ seq: cursor, bytes: bytes.slice(seqDiff(cursor, start), seqDiff(held.seq, start)) });
    cursor = seqMax(cursor, heldEnd);
  }
  if (seqLt(cursor, end)) pieces.push({ seq: cursor, bytes: bytes.slice(seqDiff(cursor, start)) });
  if (tcb.outOfOrder.length + pieces.length > config.outOfOrderLimit) return; // the peer will retransmit
  tcb.outOfOrder.push(...pieces);
  tcb.outOfOrder.sort((a, b) => seqDiff(a.seq, b.seq));
}

/**
 * SACK blocks for an ACK (RFC 2018 §4): contiguous out-of-order ranges, the one holding
 * the most recent segment first, then the others from the highest down. At most `max`.
 */
export function sackBlocks(tcb: Tcb, max: number): SeqRange[] {
  if (tcb.outOfOrder.length === 0) return []; // every ACK asks; almost always nothing is held
  const ranges: SeqRange[] = [];
  for (const held of tcb.outOfOrder) {
    const right = seqAdd(held.seq, held.bytes.length);
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.right === held.seq) last.right = right;
    else ranges.push({ left: held.seq, right });
  }
  const recent = tcb.lastOutOfOrder;
  const firstIndex = recent === undefined ? -1 : ranges.findIndex((r) => seqLe(r.left, recent.left) && seqLt(recent.left, r.right));
  const ordered: SeqRange[] = [];
  if (firstIndex >= 0) ordered.push(ranges[firstIndex]!);
  for (let i = ranges.length - 1; i >= 0; i--) if (i !== firstIndex) ordered.push(ranges[i]!);
  return ordered.slice(0, max);
}
