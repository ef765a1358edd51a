/**
 * dhcp/backoff: when to retransmit (RFC 2131 §4.1): in SELECTING and REQUESTING the delay
 * starts at 4 s and doubles up to 64 s, each "randomized by the value of a uniform random
 * number chosen from the range -1 to +1" second. In RENEWING and REBINDING (§4.4.5) the
 * client waits half the time left until T2 (resp. the lease's end), but at least 60 s.
 */
import type { RandomFill } from "../contracts.ts";

export const FIRST_DELAY_MS = 4_000;
export const MAX_DELAY_MS = 64_000;
export const JITTER_MS = 1_000;
export const MIN_LEASE_RETRANSMIT_MS = 60_000;

/** Uniform in [-1000, +1000] ms from the random source. */
export function jitterMs(randomFill: RandomFill): number {
  const bytes = new Uint8Array(2);
  randomFill(bytes);
  const unit = ((bytes[0]! << 8) | bytes[1]!) / 0xffff; // 0..1
  return Math.round((unit * 2 - 1) * JITTER_MS);
}

/** The delay before retransmission number `attempt` (0 = after the first send). */
export function retransmitDelayMs(attempt: number, randomFill: RandomFill): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt, 10));
  return base + jitterMs(randomFill);
}

/** RENEWING/REBINDING: half the time to `deadline`, at least 60 s, never past it. */
export function leaseRetransmitAt(now: number, deadline: number): number {
  return Math.min(deadline, now + Math.max(MIN_LEASE_RETRANSMIT_MS, (deadline - now) / 2));
}
