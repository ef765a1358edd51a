/**
 * wire/: every frame Linux sent in tests/fixtures/net/wire_frames.json parses, re-emits
 * byte for byte from its Reprs, and every truncation or lying length is a WireError.
 */
import test from "ava";
import {
  ArpRepr, checksum, EthernetRepr, Icmpv4Repr, Ipv4Packet, Ipv4Repr, UdpPacket, UdpRepr, WireError,
} from "../../../kernel-ts/net/wire/mod.ts";
import { FIXTURES, fixture, parseFrame, type ParsedFrame } from "./helpers/wire_fixtures.ts";

/** Rebuilds a frame from its Reprs into a zeroed buffer of the fixture's length (padding is zeros on the wire). */
function reemit(parsed: ParsedFrame, length: number): Uint8Array {
  const out = new Uint8Array(length);
  EthernetRepr.emit(parsed.ethernet, out, 0);
  if ("arp" in parsed) {
    ArpRepr.emit(parsed.arp, out, 14);
    return out;
  }
  const ip = parsed.ipv4;
  const at = 14 + Ipv4Repr.bufferLen();
  if (parsed.icmp !== undefined) {
    Icmpv4Repr.emit(parsed.icmp, out, at, checksum);
  } else if (parsed.udp !== undefined) {
    const datagram = UdpPacket.checked(parsed.ipPayload) as UdpPacket;
    UdpRepr.emit(parsed.udp, out, at, datagram.payload(), ip.srcAddr, ip.dstAddr, datagram.checksum === 0 ? null : checksum);
  } else {
    out.set(parsed.ipPayload, at); // a fragment: its bytes are not a whole message
  }
  Ipv4Repr.emit(ip, out, 14, checksum);
  return out;
}

test("the capture has the frames the tests rely on", (t) => {
  const kinds = new Set(FIXTURES.map((f) => f.summary));
  for (const kind of ["arp-request", "arp-reply", "arp-gratuitous", "icmp-echo-request", "icmp-echo-reply", "udp", "udp-zero-checksum", "icmp-dest-unreachable", "icmp-time-exceeded", "icmp-echo-request-fragment-first", "icmp-fragment-last"]) {
    t.true(kinds.has(kind), kind);
  }
});

for (const f of FIXTURES) {
  test(`frame ${f.index} (${f.summary}) parses and re-emits byte for byte`, (t) => {
    const parsed = parseFrame(f.bytes);
    if (parsed instanceof WireError) return t.fail(parsed.message);
    t.deepEqual(reemit(parsed, f.bytes.length), f.bytes);
  });

  test(`frame ${f.index} (${f.summary}): every truncation is a WireError`, (t) => {
    const parsed = parseFrame(f.bytes) as ParsedFrame;
    for (let length = 0; length < parsed.end; length++) {
      t.true(parseFrame(f.bytes.subarray(0, length)) instanceof WireError, `truncated to ${length}`);
    }
    t.false(parseFrame(f.bytes.subarray(0, parsed.end)) instanceof WireError, "cut at the end of its last layer (padding dropped)");
  });
}

test("the fixtures' fields are what Linux sent", (t) => {
  const request = parseFrame(fixture("arp-request")) as Extract<ParsedFrame, { arp: unknown }>;
  t.like(request.arp, { operation: 1, senderHardwareAddr: 0x525400997701, senderProtocolAddr: 0x0a634d01, targetProtocolAddr: 0x0a634d02 });
  t.is(request.ethernet.destination, 0xffffffffffff);
  const echo = parseFrame(fixture("icmp-echo-request")) as Extract<ParsedFrame, { ipv4: unknown }>;
  t.like(echo.ipv4, { srcAddr: 0x0a634d01, dstAddr: 0x0a634d02, protocol: 1, ttl: 64, dontFrag: true, payloadLen: 64 });
  t.is(echo.icmp?.kind, "echo-request");
  const unreachable = parseFrame(fixture("icmp-dest-unreachable")) as Extract<ParsedFrame, { ipv4: unknown }>;
  t.like(unreachable.icmp, { kind: "dst-unreachable", code: 3 });
  const invoking = Ipv4Packet.checked((unreachable.icmp as { invoking: Uint8Array }).invoking);
  t.false(invoking instanceof WireError, "port unreachable quotes the original header");
  const udp = parseFrame(fixture("udp")) as Extract<ParsedFrame, { ipv4: unknown }>;
  t.deepEqual(udp.udp, { srcPort: 40000, dstPort: 7777 });
});

/** Sets a big-endian u16 and fixes the IPv4 header checksum so only the lie remains. */
function lie(frame: Uint8Array, at: number, value: number, fixIpChecksum = true): Uint8Array {
  const copy = frame.slice();
  copy[at] = value >>> 8;
  copy[at + 1] = value & 0xff;
  if (fixIpChecksum) {
    copy[24] = 0;
    copy[25] = 0;
    const sum = ~checksum(copy, 14, 14 + (copy[14]! & 0xf) * 4, 0) & 0xffff;
    copy[24] = sum >>> 8;
    copy[25] = sum & 0xff;
  }
  return copy;
}

test("length fields that lie are WireErrors", (t) => {
  const udp = fixture("udp");
  const ipTotal = (udp[16]! << 8) | udp[17]!;
  const cases: [string, Uint8Array][] = [
    ["ip total length past the buffer", lie(udp, 16, ipTotal + 1)],
    ["ip total length shorter than its header", lie(udp, 16, 19)],
    ["ip IHL below 5", lie(udp, 14, 0x4400 | udp[15]!)],
    ["ip IHL past the buffer", (() => { const f = lie(udp, 14, 0x4f00 | udp[15]!, false); return f.subarray(0, 14 + 40); })()],
    ["ip version 6", lie(udp, 14, 0x6500 | udp[15]!)],
    ["ip header checksum wrong", lie(udp, 24, 0x1234, false)],
    ["udp length past the ip payload", lie(udp, 38, ipTotal - 20 + 1)],
    ["udp length below its header", lie(udp, 38, 7)],
    ["udp checksum wrong", lie(udp, 40, 0x1234)],
    ["arp hardware length 7", (() => { const f = fixture("arp-reply"); f[18] = 7; return f; })()],
    ["arp operation 3", lie(fixture("arp-reply"), 20, 3, false)],
    ["icmp checksum wrong", lie(fixture("icmp-echo-reply"), 36, 0x1234)],
  ];
  for (const [what, frame] of cases) t.true(parseFrame(frame) instanceof WireError, what);
});

test("a frame padded to the 60-byte minimum parses to the same packet", (t) => {
  const udp = fixture("udp");
  const padded = new Uint8Array(60);
  padded.set(udp);
  t.deepEqual(parseFrame(padded), parseFrame(udp));
});
