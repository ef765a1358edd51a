/**
 * The captured frames of tests/fixtures/net/wire_frames.json (made by wire_capture.sh from
 * the Linux stack: see its provenance field), and a whole-frame parser the wire tests
 * and the fuzz test share.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  ArpPacket, ArpRepr, checksum, EthernetFrame, EthernetRepr, EtherType, Icmpv4Packet, Icmpv4Repr, IpProtocol, Ipv4Packet, Ipv4Repr, UdpPacket, UdpRepr, WireError,
} from "../../../../kernel-ts/net/wire/mod.ts";

export interface Fixture {
  readonly index: number;
  readonly summary: string;
  readonly bytes: Uint8Array;
}

const path = fileURLToPath(new URL("../../../fixtures/net/wire_frames.json", import.meta.url));
const json = JSON.parse(readFileSync(path, "utf8")) as { provenance: string; frames: { index: number; summary: string; hex: string }[] };

export const FIXTURES: readonly Fixture[] = json.frames.map((f) => ({ index: f.index, summary: f.summary, bytes: Uint8Array.from(Buffer.from(f.hex, "hex")) }));

/** The first captured frame whose summary is `summary`. */
export function fixture(summary: string): Uint8Array {
  const found = FIXTURES.find((f) => f.summary === summary);
  if (found === undefined) throw new Error(`no fixture "${summary}" in wire_frames.json`);
  return found.bytes.slice();
}

export type ParsedFrame =
  | { readonly ethernet: EthernetRepr; readonly arp: ArpRepr; readonly end: number }
  | { readonly ethernet: EthernetRepr; readonly ipv4: Ipv4Repr; readonly icmp?: Icmpv4Repr; readonly udp?: UdpRepr; readonly ipPayload: Uint8Array; readonly end: number };

/**
 * Parses every layer the wire module knows, checksums included; `end` is where the last
 * layer ends (link padding after it is not part of the packet).
 */
export function parseFrame(bytes: Uint8Array): ParsedFrame | WireError {
  const frame = EthernetFrame.checked(bytes);
  if (frame instanceof WireError) return frame;
  const ethernet = EthernetRepr.parse(frame);
  if (ethernet.etherType === EtherType.Arp) {
    const packet = ArpPacket.checked(frame.payload());
    if (packet instanceof WireError) return packet;
    const arp = ArpRepr.parse(packet);
    if (arp instanceof WireError) return arp;
    return { ethernet, arp, end: 14 + ArpRepr.bufferLen() };
  }
  if (ethernet.etherType !== EtherType.Ipv4) return new WireError("ethernet", `EtherType 0x${ethernet.etherType.toString(16)} is not ours`);
  const packet = Ipv4Packet.checked(frame.payload());
  if (packet instanceof WireError) return packet;
  const ipv4 = Ipv4Repr.parse(packet, checksum);
  if (ipv4 instanceof WireError) return ipv4;
  const ipPayload = packet.payload();
  const end = 14 + packet.totalLen;
  if (packet.isFragment) return { ethernet, ipv4, ipPayload, end };
  if (ipv4.protocol === IpProtocol.Icmp) {
    const icmpPacket = Icmpv4Packet.checked(ipPayload);
    if (icmpPacket instanceof WireError) return icmpPacket;
    const icmp = Icmpv4Repr.parse(icmpPacket, checksum);
    if (icmp instanceof WireError) return icmp;
    return { ethernet, ipv4, icmp, ipPayload, end };
  }
  if (ipv4.protocol === IpProtocol.Udp) {
    const udpPacket = UdpPacket.checked(ipPayload);
    if (udpPacket instanceof WireError) return udpPacket;
    const udp = UdpRepr.parse(udpPacket, { checksum, src: ipv4.srcAddr, dst: ipv4.dstAddr });
    if (udp instanceof WireError) return udp;
    return { ethernet, ipv4, udp, ipPayload, end };
  }
  return { ethernet, ipv4, ipPayload, end };
}
