/**
 * ipv4_address: helpers for Ipv4Address (contracts.ts: a u32 in host order) — dotted
 * quads, prefix masks, and the special ranges of RFC 1122 §3.2.1.3 and RFC 5771.
 */

import type { Ipv4Address } from "../contracts.ts";
import { WireError } from "./error.ts";

export const UNSPECIFIED_IPV4: Ipv4Address = 0;
export const BROADCAST_IPV4: Ipv4Address = 0xffff_ffff;

/** "10.0.0.2" → 0x0a000002, or a WireError. Leading zeros are refused (they once meant octal). */
export function parseIpv4(text: string): Ipv4Address | WireError {
  const parts = text.split(".");
  if (parts.length !== 4) return new WireError("ipv4 address", `"${text}" does not have four parts`);
  let address = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return new WireError("ipv4 address", `"${part}" in "${text}" is not a number 0–255`);
    address = address * 256 + Number(part);
  }
  return address;
}

export function formatIpv4(address: Ipv4Address): string {
  return `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`;
}

/** The netmask of a prefix length 0–32: 24 → 0xffffff00. */
export function prefixMask(prefixLength: number): number {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) throw new RangeError(`Cannot make a mask for prefix length ${prefixLength}: not 0–32`);
  return prefixLength === 0 ? 0 : (0xffff_ffff << (32 - prefixLength)) >>> 0;
}

/** True when `a` and `b` are in the same /prefixLength network. */
export function sameNetwork(a: Ipv4Address, b: Ipv4Address, prefixLength: number): boolean {
  const mask = prefixMask(prefixLength);
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** The directed broadcast address of `address`'s /prefixLength network. */
export function subnetBroadcast(address: Ipv4Address, prefixLength: number): Ipv4Address {
  return (address | ~prefixMask(prefixLength)) >>> 0;
}

/** 224.0.0.0/4 (RFC 5771). This and isLoopbackIpv4 are written out in the kernel bundle (host/build/inline.ts). */
export function isMulticastIpv4(address: Ipv4Address): boolean {
  return address >>> 28 === 0xe;
}

/** 127.0.0.0/8. */
export function isLoopbackIpv4(address: Ipv4Address): boolean {
  return address >>> 24 === 127;
}
