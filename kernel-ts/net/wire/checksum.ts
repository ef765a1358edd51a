/**
 * checksum: the Internet checksum (RFC 1071) as a ChecksumFn in pure TypeScript, and the
 * pieces UDP and TCP build on it: the IPv4 pseudo-header sum (RFC 768, RFC 9293 §3.1) and
 * the final inversion.
 *
 * The loop itself is kernel-ts/hal/checksum.ts, the implementation the fake and hosted
 * platforms already use for Platform.checksum: one TypeScript copy of the contract, not
 * two. Inside the VM the stack is given hal.checksum (C) instead; the stack never chooses.
 */

import { internetChecksum } from "../../hal/checksum.ts";
import type { ChecksumFn, Ipv4Address } from "../contracts.ts";

/** RFC 1071 sum, folded, not inverted (the ChecksumFn contract). */
export const checksum: ChecksumFn = internetChecksum;

/** Adds two 16-bit one's-complement sums. */
export function addSums(a: number, b: number): number {
  const sum = a + b;
  return (sum & 0xffff) + (sum >>> 16);
}

/**
 * The one's-complement sum of the IPv4 pseudo-header (source, destination, zero,
 * protocol, length), folded to 16 bits: the seed for a UDP or TCP checksum.
 */
export function pseudoHeaderSum(src: Ipv4Address, dst: Ipv4Address, protocol: number, length: number): number {
  let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The value to store in a checksum field: the inverted sum. */
export function finishChecksum(sum: number): number {
  return ~sum & 0xffff;
}
