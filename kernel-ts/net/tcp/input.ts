/**
 * input: one segment arriving for an existing TCB (RFC 9293 §3.10.7.3 SYN-SENT and
 * §3.10.7.4 the synchronized states), with RFC 5961's hardening: an in-window RST that is
 * not exactly at rcvNxt, and any SYN in a synchronized state, draw a challenge ACK; an ACK
 * outside [sndUna − maxSndWnd, sndMax] is answered with an ACK and dropped. PAWS per
 * RFC 7323 §5. Receive-side text goes to rcv.ts, ACK arithmetic to ack.ts.
 */

import type { TcpOptions, TcpSegmentFields } from "../wire/tcp.ts";
import { TcpFlags } from "../wire/tcp.ts";
import { processAck } from "./ack.ts";
import type { TcpConfig } from "./config.ts";
import { initialWindow } from "./congestion.ts";
import { receiveText, segmentAcceptable } from "./rcv.ts";
import { rttSample } from "./rtt.ts";
import { tsVal } from "./snd.ts";
import { seqAdd, seqDiff, seqGt, seqLe, seqLt } from "./seq.ts";
import { TcpState } from "./state.ts";
import type { TcpStats } from "./stats.ts";
import type { Tcb } from "./tcb.ts";
import { closeTcb, enterTimeWait, restartKeepAlive } from "./timer.ts";

/** A segment as input acts on it: wire/tcp.ts's fields but the ports (the TCB holds them). */
export type Segment = Omit<TcpSegmentFields, "srcPort" | "dstPort">;

export interface InputContext {
  readonly config: TcpConfig;
  readonly stats: TcpStats;
  /** Queues a bare RST to the TCB's peer with this sequence number. */
  sendReset(tcb: Tcb, seq: number): void;
  /** RFC 5961 §7: true if another challenge ACK may be sent now. */
  challengeAckAllowed(now: number): boolean;
  /** A passive TCB completed its handshake: false if the accept queue is full. */
  onEstablished(tcb: Tcb): boolean;
}

const { SYN, ACK, RST, FIN } = TcpFlags; // module constants: per-segment tests are plain bit tests

/** Adopts the peer's options from its SYN or SYN-ACK (we offered what the TCB says). */
export function negotiateOptions(tcb: Tcb, config: TcpConfig, options: TcpOptions): void {
  tcb.windowScaleOk = tcb.windowScaleOk && config.windowScaling && options.windowScale !== undefined;
  tcb.sndWindowShift = tcb.windowScaleOk ? Math.min(options.windowScale ?? 0, 14) : 0; // RFC 7323 §2.3
  if (!tcb.windowScaleOk) tcb.rcvWindowShift = 0;
  tcb.sackOk = tcb.sackOk && config.sack && options.sackPermitted === true;
  tcb.timestampsOk = tcb.timestampsOk && config.timestamps && options.timestamps !== undefined;
  if (options.timestamps !== undefined) tcb.tsRecent = options.timestamps.tsVal;
  // RFC 9293 §3.7.1: 536 when the peer sent no MSS; a timestamp option takes 12 bytes of each segment.
  tcb.sendMss = Math.max(64, Math.min(options.mss ?? 536, config.mss) - (tcb.timestampsOk ? 12 : 0));
  tcb.cwnd = initialWindow(tcb.sendMss);
}

function challengeAck(tcb: Tcb, ctx: InputContext, now: number): void {
  if (ctx.challengeAckAllowed(now)) {
    ctx.stats.rx.challengeAcks += 1;
    tcb.ackNow = true;
  } else ctx.stats.rx.challengeAcksLimited += 1;
}

function becomeEstablished(tcb: Tcb, config: TcpConfig, now: number): void {
  tcb.state = tcb.finQueued ? TcpState.FinWait1 : TcpState.Established;
  tcb.retries = 0;
  restartKeepAlive(tcb, config, now);
  tcb.changed += 1;
}

export function segmentArrives(tcb: Tcb, seg: Segment, now: number, ctx: InputContext): void {
  if (tcb.state === TcpState.SynSent) synSent(tcb, seg, now, ctx);
  else synchronized(tcb, seg, now, ctx);
}

function synSent(tcb: Tcb, seg: Segment, now: number, ctx: InputContext): void {
  const ack = (seg.flags & ACK) !== 0;
  if (ack && (seqLe(seg.ack, tcb.iss) || seqGt(seg.ack, tcb.sndMax))) {
    ctx.stats.rx.badAck += 1;
    if ((seg.flags & RST) === 0) ctx.sendReset(tcb, seg.ack);
    return;
  }
  if ((seg.flags & RST) !== 0) {
    if (ack) closeTcb(tcb, "refused"); // RFC 5961 §3.2: acceptable only if it ACKs our SYN
    else ctx.stats.rx.rstIgnored += 1;
    return;
  }
  if ((seg.flags & SYN) === 0) return;
  tcb.irs = seg.seq;
  tcb.rcvNxt = seqAdd(seg.seq, 1);
  tcb.rcvAdvertised = tcb.rcvNxt;
  negotiateOptions(tcb, ctx.config, seg.options);
  tcb.sndWnd = seg.windowLen; // a SYN's window is never scaled
  tcb.maxSndWnd = tcb.sndWnd;
  tcb.sndWl1 = seg.seq;
  tcb.sndWl2 = seg.ack;
  tcb.ackNow = true;
  if (ack) {
    // Our SYN is acknowledged: ESTABLISHED (RFC 9293 §3.10.7.3 fourth step).
    tcb.sndUna = seg.ack;
    if (tcb.timestampsOk && seg.options.timestamps !== undefined && seg.options.timestamps.tsEcr !== 0) {
      rttSample(tcb, ctx.config, (tsVal(tcb, now) - seg.options.timestamps.tsEcr) | 0); // as ack.ts
    } else if (tcb.retries === 0) rttSample(tcb, ctx.config, now - tcb.rttSentAt);
    tcb.rtoAt = Infinity;
    becomeEstablished(tcb, ctx.config, now);
    if (seg.payload.length > 0 || (seg.flags & FIN) !== 0) text(tcb, seg, now, ctx);
  } else {
    // Simultaneous open: answer with SYN-ACK from the same ISS.
    tcb.state = TcpState.SynReceived;
    tcb.sndNxt = tcb.iss;
    tcb.rtoAt = Infinity;
    tcb.changed += 1;
  }
}

function synchronized(tcb: Tcb, seg: Segment, now: number, ctx: InputContext): void {
  // (seg is reassigned once below: a simultaneous open's SYN-ACK loses its old SYN.)
  const rst = (seg.flags & RST) !== 0;
  const ts = seg.options.timestamps;
  // PAWS (RFC 7323 §5.3): an older timestamp is an old duplicate.
  if (tcb.timestampsOk && ts !== undefined && !rst && seqLt(ts.tsVal, tcb.tsRecent)) {
    ctx.stats.rx.paws += 1;
    tcb.ackNow = true;
    return;
  }
  // The peer lost our SYN-ACK and sent its SYN again: send the SYN-ACK again.
  if (tcb.state === TcpState.SynReceived && (seg.flags & SYN) !== 0 && (seg.flags & ACK) === 0 && !rst && seg.seq === tcb.irs) {
    tcb.sndNxt = tcb.iss;
    return;
  }
  // Simultaneous open (RFC 9293 Figure 8): the peer's SYN-ACK repeats the SYN we already
  // counted; what is new in it is the ACK of our SYN.
  if (tcb.state === TcpState.SynReceived && (seg.flags & SYN) !== 0 && (seg.flags & ACK) !== 0 && seg.seq === tcb.irs) {
    seg = { ...seg, seq: seqAdd(seg.seq, 1), flags: seg.flags & ~SYN, payload: seg.payload };
  }
  const length = seg.payload.length + ((seg.flags & SYN) !== 0 ? 1 : 0) + ((seg.flags & FIN) !== 0 ? 1 : 0);
  if (!segmentAcceptable(tcb, seg.seq, length)) {
    ctx.stats.rx.outOfWindow += 1;
    if (!rst) tcb.ackNow = true;
    // TIME-WAIT: the peer's FIN again means our ACK was lost; restart 2·MSL (§3.10.7.4).
    if (tcb.state === TcpState.TimeWait && (seg.flags & FIN) !== 0 && seqAdd(seg.seq, length) === tcb.rcvNxt) {
      tcb.timeWaitAt = now + ctx.config.timeWait;
    }
    return;
  }
  if (tcb.timestampsOk && ts !== undefined && seqLe(seg.seq, tcb.rcvNxt)) tcb.tsRecent = ts.tsVal; // RFC 7323 §4.3
  restartKeepAlive(tcb, ctx.config, now);

  if (rst) {
    if (seg.seq !== tcb.rcvNxt) return challengeAck(tcb, ctx, now); // RFC 5961 §3.2
    if (tcb.state === TcpState.SynReceived) closeTcb(tcb, tcb.listenerId !== 0 ? undefined : "refused");
    else if (tcb.state === TcpState.Established || tcb.state === TcpState.FinWait1 || tcb.state === TcpState.FinWait2 || tcb.state === TcpState.CloseWait) closeTcb(tcb, "reset");
    else closeTcb(tcb, undefined);
    return;
  }
  if ((seg.flags & SYN) !== 0) {
    return challengeAck(tcb, ctx, now); // RFC 5961 §4
  }
  if ((seg.flags & ACK) === 0) return;

  if (tcb.state === TcpState.SynReceived) {
    if (!(seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndMax))) {
      ctx.stats.rx.badAck += 1;
      ctx.sendReset(tcb, seg.ack);
      return;
    }
    if (!ctx.onEstablished(tcb)) return; // accept queue full: the peer's ACK will come again
    tcb.sndWnd = seg.windowLen << tcb.sndWindowShift;
    tcb.maxSndWnd = Math.max(tcb.maxSndWnd, tcb.sndWnd);
    tcb.sndWl1 = seg.seq;
    tcb.sndWl2 = seg.ack;
    becomeEstablished(tcb, ctx.config, now);
  }
  // RFC 5961 §5.2: acceptable ACKs lie in [sndUna − maxSndWnd, sndMax].
  if (seqGt(seg.ack, tcb.sndMax) || seqDiff(tcb.sndUna, seg.ack) > tcb.maxSndWnd) {
    ctx.stats.rx.badAck += 1;
    tcb.ackNow = true;
    return;
  }
  processAck(tcb, ctx.config, seg, now);
  if (tcb.state === TcpState.Closed) return;
  if (seg.payload.length > 0 || (seg.flags & FIN) !== 0) text(tcb, seg, now, ctx);
}

/** RFC 9293 §3.10.7.4 seventh and eighth steps: data and FIN, and the FIN's transitions. */
function text(tcb: Tcb, seg: Segment, now: number, ctx: InputContext): void {
  const fin = (seg.flags & FIN) !== 0;
  switch (tcb.state) {
    case TcpState.Established:
    case TcpState.FinWait1:
    case TcpState.FinWait2: {
      const { finAccepted } = receiveText(tcb, ctx.config, now, seg.seq, seg.payload, fin);
      if (!finAccepted) return;
      if (tcb.state === TcpState.Established) tcb.state = TcpState.CloseWait;
      else if (tcb.state === TcpState.FinWait1) tcb.state = TcpState.Closing;
      else enterTimeWait(tcb, ctx.config, now);
      tcb.changed += 1;
      return;
    }
    case TcpState.TimeWait:
      if (fin) tcb.timeWaitAt = now + ctx.config.timeWait; // a retransmitted FIN: our ACK was lost
      tcb.ackNow = true;
      return;
    default:
      // CLOSE-WAIT, CLOSING, LAST-ACK: the peer's FIN is already in; acknowledge again.
      tcb.ackNow = true;
  }
}
