/**
 * dns/errors: why a lookup failed, one class per outcome (STYLE.md: expected outcomes are
 * named error classes). They are Errors because an app sees them (a rejected lookup).
 */

/** The server says the name does not exist (RCODE 3, RFC 1035 §4.1.1). */
export class NameNotFound extends Error {
  override readonly name = "NameNotFound";
  constructor(readonly hostname: string) { super(`Cannot resolve ${hostname}: no such name (NXDOMAIN)`); }
}

/** The name exists but has no A record (NOERROR with no usable answer, RFC 2308 §2.2 "NODATA"). */
export class NoAddress extends Error {
  override readonly name = "NoAddress";
  constructor(readonly hostname: string) { super(`Cannot resolve ${hostname}: the name has no IPv4 address`); }
}

/** Every server refused or failed (SERVFAIL, REFUSED, …) or answered with a truncated message. */
export class DnsServerFailure extends Error {
  override readonly name = "DnsServerFailure";
  constructor(readonly hostname: string, readonly rcode: number) { super(`Cannot resolve ${hostname}: the DNS server answered with error code ${rcode}`); }
}

/** No answer from any server after every retry. */
export class DnsTimeout extends Error {
  override readonly name = "DnsTimeout";
  constructor(readonly hostname: string, readonly attempts: number) { super(`Cannot resolve ${hostname}: no answer after ${attempts} attempts`); }
}

/** The resolver has no server to ask (no DHCP lease yet, no dns= on the command line). */
export class NoDnsServer extends Error {
  override readonly name = "NoDnsServer";
  constructor(readonly hostname: string) { super(`Cannot resolve ${hostname}: no DNS server is configured`); }
}

/** The name is not one DNS can carry (a label over 63 bytes, not ASCII, …). */
export class BadHostname extends Error {
  override readonly name = "BadHostname";
  constructor(readonly hostname: string, why: string) { super(`Cannot resolve ${JSON.stringify(hostname)}: ${why}`); }
}

export type DnsError = NameNotFound | NoAddress | DnsServerFailure | DnsTimeout | NoDnsServer | BadHostname;
