/**
 * net/config: the network settings on the kernel command line (DESIGN.md boot step 5).
 *
 *   ip=dhcp                                     (the default, also when ip= is absent)
 *   ip=10.0.0.2/24,gw=10.0.0.1,dns=10.0.0.1[,dns=…]   one token
 *   ip=10.0.0.2/24 gw=10.0.0.1 dns=10.0.0.1 [dns=…]   or separate tokens
 *
 * gw= and dns= are optional with a static address and refused with ip=dhcp (DHCP supplies
 * them). The gateway must be on the address's subnet. Repeated dns= add servers, in order;
 * ip= and gw= may appear once. Bad input is a NetworkConfigError naming the token and why.
 * Other keys on the line are not looked at (cmdline.ts owns the rest).
 */
import type { Ipv4Address } from "./contracts.ts";

export type NetworkConfig =
  | { readonly mode: "dhcp" }
  | {
      readonly mode: "static";
      readonly address: Ipv4Address;
      readonly prefixLength: number;
      readonly gateway: Ipv4Address | undefined;
      readonly dnsServers: readonly Ipv4Address[];
    };

export class NetworkConfigError extends Error {
  override readonly name = "NetworkConfigError";
  constructor(readonly token: string, why: string) {
    super(`Cannot use ${JSON.stringify(token)} on the kernel command line: ${why}`);
  }
}

/** "10.0.0.2" → 0x0a000002, or undefined when it is not four decimal octets. */
export function parseIpv4(text: string): Ipv4Address | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let address = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined;
    address = address * 256 + Number(part);
  }
  return address;
}

export function formatIpv4(address: Ipv4Address): string {
  return [address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff].join(".");
}

function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

function address(token: string, text: string, what: string): Ipv4Address {
  const parsed = parseIpv4(text);
  if (parsed === undefined) throw new NetworkConfigError(token, `${what} ${JSON.stringify(text)} is not an IPv4 address (four numbers 0–255)`);
  return parsed;
}

/** The network settings in `cmdline` (the whole kernel command line). */
export function parseNetworkConfig(cmdline: string): NetworkConfig {
  let ip: { token: string; value: string } | undefined;
  let gw: { token: string; value: string } | undefined;
  const dns: { token: string; value: string }[] = [];
  for (const token of cmdline.split(/\s+/)) {
    if (token.startsWith("ip=")) {
      if (ip !== undefined) throw new NetworkConfigError(token, `ip= is already given (${JSON.stringify(ip.token)})`);
      const [first, ...rest] = token.slice(3).split(",");
      ip = { token, value: first! };
      for (const item of rest) {
        if (item.startsWith("gw=")) {
          if (gw !== undefined) throw new NetworkConfigError(token, "gw= is given twice");
          gw = { token, value: item.slice(3) };
        } else if (item.startsWith("dns=")) {
          dns.push({ token, value: item.slice(4) });
        } else {
          throw new NetworkConfigError(token, `${JSON.stringify(item)} is not gw=ADDRESS or dns=ADDRESS`);
        }
      }
    } else if (token.startsWith("gw=")) {
      if (gw !== undefined) throw new NetworkConfigError(token, `gw= is already given (${JSON.stringify(gw.token)})`);
      gw = { token, value: token.slice(3) };
    } else if (token.startsWith("dns=")) {
      dns.push({ token, value: token.slice(4) });
    }
  }

  if (ip === undefined || ip.value === "dhcp") {
    const extra = gw ?? dns[0];
    if (extra !== undefined) throw new NetworkConfigError(extra.token, "gw= and dns= need a static address (ip=ADDRESS/PREFIX); with DHCP the server supplies them");
    return { mode: "dhcp" };
  }

  const match = /^([^/]*)\/([^/]*)$/.exec(ip.value);
  if (match === null) throw new NetworkConfigError(ip.token, `expected ip=dhcp or ip=ADDRESS/PREFIX (e.g. ip=10.0.0.2/24), not ${JSON.stringify(ip.value)}`);
  const own = address(ip.token, match[1]!, "the address");
  const prefixText = match[2]!;
  if (!/^(0|[1-9][0-9]?)$/.test(prefixText) || Number(prefixText) > 32) throw new NetworkConfigError(ip.token, `the prefix length ${JSON.stringify(prefixText)} is not a number from 0 to 32`);
  const prefixLength = Number(prefixText);
  const mask = prefixMask(prefixLength);
  if (own === 0 || own >>> 24 === 127 || own >>> 28 >= 14) throw new NetworkConfigError(ip.token, `${formatIpv4(own)} cannot be an interface's address (unspecified, loopback, multicast or reserved)`);
  const hostBits = (own & ~mask) >>> 0;
  if (prefixLength <= 30 && (hostBits === 0 || hostBits === ~mask >>> 0)) {
    throw new NetworkConfigError(ip.token, `${formatIpv4(own)} is the network or broadcast address of /${prefixLength}`);
  }

  let gateway: Ipv4Address | undefined;
  if (gw !== undefined) {
    gateway = address(gw.token, gw.value, "the gateway");
    if (gateway === own) throw new NetworkConfigError(gw.token, "the gateway is the interface's own address");
    if (((gateway ^ own) & mask) !== 0) throw new NetworkConfigError(gw.token, `the gateway ${formatIpv4(gateway)} is not on ${formatIpv4((own & mask) >>> 0)}/${prefixLength}`);
  }
  const dnsServers = dns.map((server) => address(server.token, server.value, "the DNS server"));
  return { mode: "static", address: own, prefixLength, gateway, dnsServers };
}
