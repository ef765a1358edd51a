/**
 * rtt: the retransmission timeout from round-trip samples, RFC 6298 §2 (alpha 1/8, beta
 * 1/4, K = 4, clock granularity G = 1 ms), clamped to [minRto, maxRto]. Samples come from
 * timestamps (RFC 7323 §4) or, without them, one timed segment at a time that is never a
 * retransmission (Karn's algorithm, RFC 6298 §3).
 */

import type { TcpConfig } from "./config.ts";
import type { Tcb } from "./tcb.ts";

const GRANULARITY = 1;

export function rttSample(tcb: Tcb, config: TcpConfig, sample: number): void {
  const r = sample > 0 ? sample : 0; // compared, not Math.max: once per ACK (rcv.ts says why)
  if (!tcb.hasRttSample) {
    tcb.srtt = r;
    tcb.rttVar = r / 2;
    tcb.hasRttSample = true;
  } else {
    const error = tcb.srtt - r;
    tcb.rttVar = 0.75 * tcb.rttVar + 0.25 * (error < 0 ? -error : error); // not Math.abs: every ACK
    tcb.srtt = 0.875 * tcb.srtt + 0.125 * r;
  }
  const variance = 4 * tcb.rttVar;
  tcb.rto = clampRto(config, tcb.srtt + (variance > GRANULARITY ? variance : GRANULARITY));
}

export function clampRto(config: TcpConfig, rto: number): number {
  const atLeast = rto > config.minRto ? rto : config.minRto;
  return atLeast < config.maxRto ? atLeast : config.maxRto;
}

/** RFC 6298 §5.5: back the timer off after a timeout. */
export function backOff(tcb: Tcb, config: TcpConfig): void {
  tcb.rto = Math.min(config.maxRto, tcb.rto * 2);
}
