/**
 * seq: 32-bit sequence-number arithmetic (RFC 9293 §3.4, RFC 1982). Sequence numbers are
 * unsigned 32-bit numbers that wrap; a < b means b is within 2^31 ahead of a. Every
 * comparison of sequence numbers in tcp/ goes through these. The kernel bundle has their
 * calls written out (host/build/inline.ts lists them): keep each a single return expression.
 */

export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** b − a as a signed distance (negative when b is behind a). */
export function seqDiff(b: number, a: number): number {
  return (b - a) | 0;
}

// The comparisons write seqDiff out rather than call it: they run dozens of times a
// segment, and a call costs QuickJS more than the arithmetic (bench/icount).
export function seqLt(a: number, b: number): boolean { return ((a - b) | 0) < 0; }
export function seqLe(a: number, b: number): boolean { return ((a - b) | 0) <= 0; }
export function seqGt(a: number, b: number): boolean { return ((a - b) | 0) > 0; }
export function seqGe(a: number, b: number): boolean { return ((a - b) | 0) >= 0; }
export function seqMax(a: number, b: number): number { return ((a - b) | 0) >= 0 ? a : b; }
export function seqMin(a: number, b: number): number { return ((a - b) | 0) <= 0 ? a : b; }

/** low ≤ x < high, in sequence space. */
export function seqInRange(x: number, low: number, high: number): boolean {
  return ((low - x) | 0) <= 0 && ((x - high) | 0) < 0;
}
