/**
 * dhcp/lease: what a DHCPACK grants, with its times turned into deadlines on the caller's
 * monotonic clock (milliseconds). RFC 2131 §4.4.5: T1 defaults to half the lease, T2 to
 * 0.875 of it; a server's T1/T2 that break T1 ≤ T2 ≤ lease are replaced by the defaults.
 */
import type { Ipv4Address } from "../contracts.ts";
import type { DhcpRepr } from "../wire/dhcp.ts";

export interface DhcpLease {
  readonly address: Ipv4Address;
  readonly prefixLength: number;
  /** The first router (option 3), when the server names one. */
  readonly router: Ipv4Address | undefined;
  readonly dnsServers: readonly Ipv4Address[];
  /** Option 54: where RENEWING sends its unicast REQUEST. */
  readonly serverIdentifier: Ipv4Address;
  /** Seconds, as the server gave them (after the defaults above). */
  readonly leaseTime: number;
  readonly renewalTime: number;
  readonly rebindingTime: number;
  /** Milliseconds on the caller's clock: when the REQUEST that got this ACK was first sent. */
  readonly acquiredAt: number;
  readonly renewAt: number;
  readonly rebindAt: number;
  readonly expiresAt: number;
}

/** A contiguous mask's prefix length, or undefined for a mask like 255.0.255.0. */
export function maskPrefixLength(mask: Ipv4Address): number | undefined {
  const inverted = ~mask >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  return Math.clz32(inverted);
}

/** RFC 1122 §3.3.1.1's classful default, for servers that send no subnet mask. */
function classfulPrefix(address: Ipv4Address): number {
  const top = address >>> 24;
  return top < 128 ? 8 : top < 192 ? 16 : 24;
}

/** An infinite lease (0xffffffff, RFC 2131 §3.3) is kept as a very long one. */
const INFINITE = 0xffffffff;

/** The lease an ACK grants, timed from `start` (ms); undefined when the ACK lacks a lease time. */
export function leaseFromAck(ack: DhcpRepr, serverIdentifier: Ipv4Address, start: number): DhcpLease | undefined {
  const leaseTime = ack.leaseTime;
  if (leaseTime === undefined || ack.yourAddress === 0) return undefined;
  let renewalTime = ack.renewalTime ?? Math.floor(leaseTime * 0.5);
  let rebindingTime = ack.rebindingTime ?? Math.floor(leaseTime * 0.875);
  if (!(renewalTime <= rebindingTime && rebindingTime <= leaseTime)) {
    renewalTime = Math.floor(leaseTime * 0.5);
    rebindingTime = Math.floor(leaseTime * 0.875);
  }
  const at = (seconds: number): number => (leaseTime === INFINITE ? Infinity : start + seconds * 1000);
  const prefix = ack.subnetMask !== undefined ? maskPrefixLength(ack.subnetMask) : undefined;
  return {
    address: ack.yourAddress,
    prefixLength: prefix ?? classfulPrefix(ack.yourAddress),
    router: ack.routers?.[0],
    dnsServers: ack.dnsServers ?? [],
    serverIdentifier,
    leaseTime,
    renewalTime,
    rebindingTime,
    acquiredAt: start,
    renewAt: at(renewalTime),
    rebindAt: at(rebindingTime),
    expiresAt: at(leaseTime),
  };
}
