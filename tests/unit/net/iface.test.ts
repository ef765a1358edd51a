/**
 * iface/: the interface against frames the Linux stack sent (tests/fixtures/net), playing
 * 10.99.77.2 (52:54:00:99:77:02, Linux's peer "B" in the capture) or 10.99.77.1 ("A").
 */
import test from "ava";
import { Interface, type InterfaceConfig } from "../../../kernel-ts/net/iface/mod.ts";
import { SocketSet, UdpSocket } from "../../../kernel-ts/net/socket/mod.ts";
import {
  ArpPacket, ArpRepr, checksum, EthernetFrame, EtherType, Icmpv4Packet, Icmpv4Repr, Ipv4Packet, Ipv4Repr, pseudoHeaderSum, UdpPacket, WireError,
} from "../../../kernel-ts/net/wire/mod.ts";
import { TcpPacket, TcpRepr } from "../../../kernel-ts/net/wire/tcp.ts";
import { FakeLink, NET_HEADER, segmentOf, TcpDouble, brokenInvariant } from "./helpers/link.ts";
import { FIXTURES, fixture } from "./helpers/wire_fixtures.ts";

/** By capture index, where two frames share a summary (the request's and the reply's last fragments). */
const fixtureAt = (index: number) => FIXTURES.find((f) => f.index === index)!.bytes.slice();

const A = 0x0a634d01;
const B = 0x0a634d02;
const MAC_A = 0x525400997701;
const MAC_B = 0x525400997702;
const ARP_REPLY_FROM_B = () => fixture("arp-reply");

function makeB(extra: Partial<InterfaceConfig> = {}) {
  const sockets = new SocketSet();
  const iface = new Interface({ mac: MAC_B, ipv4: { address: B, prefixLength: 30 }, checksum, sockets, ...extra });
  const link = new FakeLink();
  iface.poll(0, link); // the gratuitous ARP
  link.take();
  return { iface, link, sockets };
}

function makeA(extra: Partial<InterfaceConfig> = {}) {
  const sockets = new SocketSet();
  const iface = new Interface({ mac: MAC_A, ipv4: { address: A, prefixLength: 30 }, checksum, sockets, ...extra });
  const link = new FakeLink("52:54:00:99:77:01");
  iface.poll(0, link);
  link.take();
  return { iface, link, sockets };
}

function ipOf(frame: Uint8Array): Ipv4Packet {
  const ip = Ipv4Packet.checked(frame.subarray(14));
  if (ip instanceof WireError) throw new Error(ip.message);
  return ip;
}

function icmpOf(frame: Uint8Array): Icmpv4Repr {
  const icmp = Icmpv4Repr.parse(Icmpv4Packet.checked(ipOf(frame).payload()) as Icmpv4Packet, checksum);
  if (icmp instanceof WireError) throw new Error(icmp.message);
  return icmp;
}

test("answers Linux's ARP request with the very bytes Linux answered with", (t) => {
  const { iface, link } = makeB();
  link.inject(fixture("arp-request"));
  iface.poll(1, link);
  t.deepEqual(link.take(), [ARP_REPLY_FROM_B()]);
  t.is(iface.stats.arp.repliesSent, 1);
  t.is(iface.neighbors.lookup(A, 1), MAC_A, "the asker is learned (RFC 826: the request was for us)");
  t.is(brokenInvariant(iface), undefined);
});

test("sends gratuitous ARP for a new address, like arping -U", (t) => {
  const iface = new Interface({ mac: MAC_A, checksum });
  const link = new FakeLink();
  t.false(iface.poll(0, link));
  iface.setIpv4({ address: A, prefixLength: 30 });
  t.is(iface.pollAt(5), 5);
  iface.poll(5, link);
  const [frame] = link.take();
  const arp = ArpRepr.parse(ArpPacket.checked((EthernetFrame.checked(frame!) as EthernetFrame).payload()) as ArpPacket);
  t.like(arp, { operation: 1, senderProtocolAddr: A, targetProtocolAddr: A, senderHardwareAddr: MAC_A });
  iface.setIpv4({ address: A, prefixLength: 24 });
  iface.poll(6, link);
  t.is(link.take().length, 0, "same address, no announcement");
});

test("answers Linux's echo request with the ICMP message Linux answered with", (t) => {
  const { iface, link } = makeB();
  link.inject(fixture("arp-request"));
  link.inject(fixture("icmp-echo-request"));
  iface.poll(1, link);
  const [, reply] = link.take();
  const linux = fixture("icmp-echo-reply");
  t.deepEqual(ipOf(reply!).payload(), ipOf(linux).payload(), "type, code, checksum, ident, seq and data");
  t.like(Ipv4Repr.parse(ipOf(reply!)), { srcAddr: B, dstAddr: A, ttl: 64, protocol: 1 });
  t.deepEqual(reply!.subarray(0, 14), linux.subarray(0, 14));
  t.is(iface.stats.icmp.echoRepliesSent, 1);
});

test("reassembles Linux's fragmented ping and fragments the reply as Linux did", (t) => {
  const { iface, link } = makeB();
  link.inject(fixture("arp-request"));
  link.inject(fixture("icmp-echo-request-fragment-first"));
  iface.poll(1, link);
  t.is(iface.reassembler.fragmentsHeld, 1);
  link.inject(fixture("icmp-fragment-last")); // the request's second fragment comes first in the capture
  iface.poll(2, link);
  const [, first, last] = link.take();
  t.is(iface.stats.fragments.reassembled, 1);
  t.is(iface.stats.fragments.sent, 2);
  const ours = [ipOf(first!), ipOf(last!)];
  const linux = [ipOf(fixture("icmp-echo-reply-fragment-first"))];
  t.true(ours[0]!.moreFrags);
  t.is(ours[1]!.fragOffset, 1480);
  // Linux's reply fragments carry the same data split at the same place.
  const linuxReplyLast = ipOf(fixtureAt(12));
  t.false(linuxReplyLast.moreFrags);
  t.deepEqual([...ours[0]!.payload()], [...linux[0]!.payload()]);
  t.deepEqual([...ours[1]!.payload()], [...linuxReplyLast.payload()]);
  t.is(brokenInvariant(iface), undefined);
});


test("delivers UDP to the bound socket, zero checksum included; a closed port gets port unreachable quoting header + 8", (t) => {
  const { iface, link, sockets } = makeB();
  const socket = sockets.bindUdp(7777) as UdpSocket;
  link.inject(fixture("arp-request"));
  link.inject(fixture("udp"));
  link.inject(fixture("udp-zero-checksum"));
  iface.poll(1, link);
  const first = socket.receive();
  t.deepEqual(first?.from, { address: A, port: 40000 });
  t.is(first?.to, B);
  t.is(Buffer.from(first!.bytes).toString(), "ping");
  t.is(Buffer.from(socket.receive()!.bytes).toString(), "no checksum");
  link.take();
  const closed = FIXTURES.find((f) => f.summary === "udp" && Buffer.from(f.bytes).includes(Buffer.from("closed port")))!.bytes;
  link.inject(closed);
  iface.poll(2, link);
  const [error] = link.take();
  const icmp = icmpOf(error!);
  t.like(icmp, { kind: "dst-unreachable", code: 3 });
  const quoted = (icmp as { invoking: Uint8Array }).invoking;
  t.is(quoted.length, 20 + 8);
  t.deepEqual(quoted, closed.subarray(14, 14 + 28));
  // Linux quoted the same datagram (all of it): the first 28 bytes agree.
  const linux = icmpOf(fixture("icmp-dest-unreachable")) as { invoking: Uint8Array };
  t.deepEqual(quoted, linux.invoking.subarray(0, 28));
  t.is(iface.stats.rx.drops.noSocket, 1);
  t.is(brokenInvariant(iface), undefined);
});

test("port unreachable is rate-limited", (t) => {
  const { iface, link } = makeB({ limits: { icmpErrorsPerSecond: 1, icmpErrorBurst: 2 } });
  link.inject(fixture("arp-request"));
  for (let i = 0; i < 5; i++) link.inject(fixture("udp"));
  iface.poll(1, link);
  t.is(link.take().length, 1 + 2);
  t.is(iface.stats.icmp.rateLimited, 3);
  link.inject(fixture("udp"));
  iface.poll(1001, link);
  t.is(link.take().length, 1, "a token back after a second");
});

test("a frame with DATA_VALID skips the UDP checksum; without it a bad one is dropped", (t) => {
  const { iface, link, sockets } = makeB();
  const socket = sockets.bindUdp(7777) as UdpSocket;
  const bad = fixture("udp");
  bad[40] = bad[40]! ^ 0xff; // the UDP checksum
  link.inject(bad);
  link.inject(bad, 2 /* DATA_VALID */);
  iface.poll(1, link);
  t.is(iface.stats.rx.drops.badChecksum, 1);
  t.is(socket.rxQueued, 1);
});

test("sending resolves the neighbour with the ARP request Linux sent, then sends what waited", (t) => {
  const { iface, link, sockets } = makeA();
  const socket = sockets.bindUdp(40000) as UdpSocket;
  t.is(socket.send({ address: B, port: 7777 }, new TextEncoder().encode("ping")), undefined);
  t.is(iface.pollAt(1), 1);
  iface.poll(1, link);
  t.deepEqual(link.take(), [fixture("arp-request")]);
  t.is(iface.neighbors.sizes.pendingPackets, 1);
  link.inject(ARP_REPLY_FROM_B());
  iface.poll(2, link);
  const [datagram] = link.take();
  const linux = fixture("udp");
  t.deepEqual(datagram!.subarray(0, 14), linux.subarray(0, 14));
  t.deepEqual(ipOf(datagram!).payload(), ipOf(linux).payload(), "ports, length, checksum and data as Linux sent them");
  t.is(socket.stats.txDatagrams, 1);
});

test("ARP requests back off 1 s, 2 s, then the waiting packets are dropped and counted", (t) => {
  const { iface, link, sockets } = makeA();
  const socket = sockets.bindUdp(40000) as UdpSocket;
  for (let i = 0; i < 20; i++) socket.send({ address: B, port: 7777 }, new Uint8Array(1));
  iface.poll(0, link);
  t.is(link.take().length, 1);
  t.is(iface.neighbors.sizes.pendingPackets, 16, "the per-neighbour cap");
  t.is(iface.stats.tx.drops.arpQueueFull, 4);
  t.is(socket.stats.txDrops, 4);
  t.is(iface.pollAt(0), 1000);
  iface.poll(999, link);
  t.is(link.take().length, 0);
  iface.poll(1000, link);
  t.is(link.take().length, 1);
  t.is(iface.pollAt(1000), 3000);
  iface.poll(3000, link);
  t.is(link.take().length, 1);
  t.is(iface.pollAt(3000), 7000);
  iface.poll(7000, link);
  t.is(link.take().length, 0);
  t.is(iface.stats.tx.drops.arpTimeout, 16);
  t.is(iface.neighbors.sizes.pendingNeighbors, 0);
  t.is(iface.stats.arp.requestsSent, 3);
});

test("off-link destinations go to the gateway; without one they are counted noRoute", (t) => {
  const { iface, link, sockets } = makeA();
  const socket = sockets.bindUdp(40000) as UdpSocket;
  socket.send({ address: 0x08080808, port: 53 }, new Uint8Array(4));
  iface.poll(1, link);
  t.is(iface.stats.tx.drops.noRoute, 1);
  t.is(socket.stats.txDrops, 1);
  iface.setIpv4({ address: A, prefixLength: 30, gateway: B });
  socket.send({ address: 0x08080808, port: 53 }, new Uint8Array(4));
  iface.poll(2, link);
  const frames = link.take();
  const request = ArpRepr.parse(ArpPacket.checked(frames[frames.length - 1]!.subarray(14)) as ArpPacket) as ArpRepr;
  t.is(request.targetProtocolAddr, B, "ARP for the gateway");
  link.inject(ARP_REPLY_FROM_B());
  iface.poll(3, link);
  const [datagram] = link.take();
  t.is((EthernetFrame.checked(datagram!) as EthernetFrame).destination, MAC_B);
  t.is(ipOf(datagram!).dstAddr, 0x08080808);
});

test("broadcast needs no ARP; before an address is set, UDP goes out from 0.0.0.0 (DHCP)", (t) => {
  const iface = new Interface({ mac: MAC_A, checksum });
  const link = new FakeLink();
  const socket = iface.sockets.bindUdp(68) as UdpSocket;
  socket.send({ address: 0xffffffff, port: 67 }, new Uint8Array(300));
  iface.poll(0, link);
  const [frame] = link.take();
  t.is((EthernetFrame.checked(frame!) as EthernetFrame).destination, 0xffffffffffff);
  t.like(Ipv4Repr.parse(ipOf(frame!), checksum), { srcAddr: 0, dstAddr: 0xffffffff });
  const udp = UdpPacket.checked(ipOf(frame!).payload()) as UdpPacket;
  t.true(udp.verifyChecksum(checksum, 0, 0xffffffff));
});

test("a datagram over the MTU is fragmented; with DF it is counted tooBig", (t) => {
  const { iface, link, sockets } = makeA();
  iface.neighbors.fill(B, MAC_B, 0);
  const socket = sockets.bindUdp(40000) as UdpSocket;
  socket.send({ address: B, port: 7777 }, new Uint8Array(4000));
  iface.poll(1, link);
  const frames = link.take();
  t.deepEqual(frames.map((f) => ipOf(f).fragOffset), [0, 1480, 2960]);
  t.deepEqual(frames.map((f) => ipOf(f).moreFrags), [true, true, false]);
  t.true(frames.every((f) => f.length <= 1514 && ipOf(f).verifyChecksum(checksum)));
  const tcp = new TcpDouble();
  const withTcp = makeA({ tcp });
  withTcp.iface.neighbors.fill(B, MAC_B, 0);
  tcp.outgoing.push({ ip: { src: A, dst: B }, repr: segmentOf(1580), segmentSize: 1580 }); // a TCP that ignored the MSS
  withTcp.iface.poll(1, withTcp.link);
  t.is(withTcp.link.take().length, 0);
  t.is(withTcp.iface.stats.tx.drops.tooBig, 1);
});

test("TCP segments go to the TcpLayer with checksumVerified from DATA_VALID; its output is wrapped and held while the link is full", (t) => {
  const tcp = new TcpDouble();
  const { iface, link } = makeB({ tcp });
  const segment = fixture("udp"); // any bytes: the double does not parse
  segment[14 + 9] = 6; // protocol TCP
  segment[24] = 0; segment[25] = 0;
  const sum = ~checksum(segment, 14, 34, 0) & 0xffff;
  segment[24] = sum >>> 8; segment[25] = sum & 0xff;
  link.inject(segment, 2);
  link.inject(segment, 0);
  iface.poll(1, link);
  t.deepEqual(tcp.inputs.map((i) => [i.ip.src, i.ip.dst, i.checksumVerified, i.segment.length]), [[A, B, true, 12], [A, B, false, 12]]);
  iface.neighbors.fill(A, MAC_A, 1);
  tcp.outgoing.push({ ip: { src: B, dst: A }, repr: segmentOf(new Uint8Array([1, 2, 3])), segmentSize: 1460 });
  link.room = 0;
  iface.poll(2, link);
  t.is(tcp.outgoing.length, 1, "refused by the link: TCP keeps it");
  link.room = Infinity;
  iface.poll(3, link);
  const [frame] = link.take();
  t.like(Ipv4Repr.parse(ipOf(frame!), checksum), { srcAddr: B, dstAddr: A, protocol: 6, dontFrag: true });
  const sent = TcpPacket.checked(ipOf(frame!).payload());
  if (sent instanceof WireError) return t.fail(sent.message);
  t.deepEqual([...sent.payload()], [1, 2, 3]);
  t.like(TcpRepr.parse(sent), { srcPort: 40000, dstPort: 80, seqNumber: 1000, ackNumber: 2000, windowLen: 512 });
  t.true(sent.verifyChecksum({ src: B, dst: A }, checksum), "TCP checksum in software: the device offloads nothing");
  t.is(link.sent.length, 0);
});

/** The virtio-net header of a packet the interface sent (the header's fields, little-endian). */
function netHeaderOf(packet: Uint8Array) {
  const u16 = (at: number) => packet[at]! | (packet[at + 1]! << 8);
  return { flags: packet[0], gsoType: packet[1], hdrLen: u16(2), gsoSize: u16(4), csumStart: u16(6), csumOffset: u16(8) };
}

test("with VIRTIO_NET_F_CSUM the device fills the TCP checksum: NEEDS_CSUM, start and offset, the pseudo-header sum in the field", (t) => {
  const tcp = new TcpDouble();
  const iface = new Interface({ mac: MAC_B, ipv4: { address: B, prefixLength: 30 }, checksum, tcp });
  const link = new FakeLink("52:54:00:99:77:02", 1500, { csum: true });
  iface.neighbors.fill(A, MAC_A, 0);
  const payload = new Uint8Array(1000).map((_, i) => i * 7);
  tcp.outgoing.push({ ip: { src: B, dst: A }, repr: segmentOf(payload), segmentSize: 1460 });
  iface.poll(1, link);
  const packet = link.sent.find((p) => p[NET_HEADER + 23] === 6)!;
  t.deepEqual(netHeaderOf(packet), { flags: 1, gsoType: 0, hdrLen: 0, gsoSize: 0, csumStart: 34, csumOffset: 16 });
  const tcpBytes = packet.slice(NET_HEADER + 34);
  const field = (tcpBytes[16]! << 8) | tcpBytes[17]!;
  t.is(field, pseudoHeaderSum(B, A, 6, tcpBytes.length), "the pseudo-header sum, not inverted (Linux's CHECKSUM_PARTIAL)");
  // What the device does: sum from csumStart with the seed in place, store the inverse.
  const sum = ~checksum(tcpBytes, 0, tcpBytes.length, 0) & 0xffff;
  tcpBytes[16] = sum >>> 8; tcpBytes[17] = sum & 0xff;
  const finished = TcpPacket.checked(tcpBytes);
  if (finished instanceof WireError) return t.fail(finished.message);
  t.true(finished.verifyChecksum({ src: B, dst: A }, checksum));
});

test("with HOST_TSO4 a segment longer than segmentSize goes as one GSO TCPV4 frame past the MTU, not fragmented", (t) => {
  const tcp = new TcpDouble();
  const iface = new Interface({ mac: MAC_B, ipv4: { address: B, prefixLength: 30 }, checksum, tcp });
  const link = new FakeLink("52:54:00:99:77:02", 1500, { csum: true, hostTso4: true });
  iface.neighbors.fill(A, MAC_A, 0);
  tcp.outgoing.push({ ip: { src: B, dst: A }, repr: segmentOf(10 * 1448), segmentSize: 1448 });
  iface.poll(1, link);
  const packets = link.sent.filter((p) => p[NET_HEADER + 23] === 6);
  t.is(packets.length, 1);
  const packet = packets[0]!;
  t.deepEqual(netHeaderOf(packet), { flags: 1, gsoType: 1, hdrLen: 14 + 20 + 20, gsoSize: 1448, csumStart: 34, csumOffset: 16 });
  const ip = Ipv4Packet.checked(packet.subarray(NET_HEADER + 14));
  if (ip instanceof WireError) return t.fail(ip.message);
  t.is(ip.totalLen, 20 + 20 + 10 * 1448);
  t.true(ip.dontFrag);
  t.is(iface.stats.fragments.sent, 0);
});

test("TCP frames follow the neighbour's MAC and our address when they change; the IPv4 ident and checksum are right in each", (t) => {
  const tcp = new TcpDouble();
  const { iface, link } = makeB({ tcp });
  const sendOne = (now: number, src = B) => {
    tcp.outgoing.push({ ip: { src, dst: A }, repr: segmentOf(new Uint8Array([now])), segmentSize: 1460 });
    iface.poll(now, link);
    const frames = link.take().filter((frame) => (EthernetFrame.checked(frame) as EthernetFrame).etherType === EtherType.Ipv4);
    t.is(frames.length, 1);
    const header = Ipv4Repr.parse(ipOf(frames[0]!), checksum); // checks the header checksum
    if (header instanceof WireError) throw new Error(header.message);
    return { frame: EthernetFrame.checked(frames[0]!) as EthernetFrame, header, ident: ipOf(frames[0]!).ident };
  };
  iface.neighbors.fill(A, MAC_A, 1);
  const first = sendOne(2);
  const second = sendOne(3);
  t.is(first.frame.destination, MAC_A);
  t.is(second.ident, (first.ident + 1) & 0xffff, "one ident per datagram");
  iface.neighbors.fill(A, 0x525400aabbcc, 4); // A moved to another MAC (a gratuitous ARP, a failover)
  t.is(sendOne(5).frame.destination, 0x525400aabbcc, "the new MAC, not the one the first frames were made with");
  const moved = 0x0a634d05;
  iface.setIpv4({ address: moved, prefixLength: 24 }); // (its gratuitous ARP goes with the next poll)
  const after = sendOne(6, moved);
  t.like(after.header, { srcAddr: moved, dstAddr: A, protocol: 6, dontFrag: true, ttl: 64 });
});

test("fragments: timeouts after 30 s, overlaps and caps are counted; memory stays within the caps", (t) => {
  const { iface, link } = makeB({ limits: { reassembly: { totalBytes: 3000, datagrams: 2, fragmentsPerDatagram: 4, timeoutMs: 30_000 } } });
  link.inject(fixture("icmp-echo-request-fragment-first"));
  iface.poll(1, link);
  t.is(iface.pollAt(1), 30_001);
  iface.poll(30_001, link);
  t.is(iface.stats.fragments.timeouts, 1);
  t.is(iface.stats.fragments.discarded, 1);
  t.is(iface.reassembler.bytesHeld, 0);
  // Two first fragments of one datagram at one offset, then one that overlaps differently.
  const first = fixture("icmp-echo-request-fragment-first");
  link.inject(first);
  link.inject(first);
  iface.poll(30_002, link);
  t.is(iface.stats.rx.drops.fragmentInvalid, 1, "an exact duplicate is dropped alone");
  t.is(iface.reassembler.fragmentsHeld, 1);
  // A third datagram's fragments: over the 3000-byte cap (1480 held + 1480 + 1480).
  for (const ident of [0x1111, 0x2222]) {
    const other = first.slice();
    other[18] = ident >>> 8; other[19] = ident & 0xff;
    other[24] = 0; other[25] = 0;
    const sum = ~checksum(other, 14, 34, 0) & 0xffff;
    other[24] = sum >>> 8; other[25] = sum & 0xff;
    link.inject(other);
  }
  iface.poll(30_003, link);
  t.is(iface.stats.rx.drops.fragmentOverflow, 1);
  t.true(iface.reassembler.bytesHeld <= 3000);
  t.is(brokenInvariant(iface), undefined);
});

test("frames for others, unknown EtherTypes, and ICMP errors are counted, not answered", (t) => {
  const { iface, link } = makeA();
  link.inject(fixture("icmp-time-exceeded"));
  link.inject(fixture("icmp-echo-request")); // to B's MAC: not ours
  const v6 = fixture("udp");
  v6[12] = 0x86; v6[13] = 0xdd;
  v6[0] = 0x52; v6.set([0x52, 0x54, 0x00, 0x99, 0x77, 0x01], 0);
  link.inject(v6);
  link.inject(new Uint8Array(5));
  iface.poll(1, link);
  t.is(link.take().length, 0);
  t.like(iface.stats.rx.drops, { icmpIgnored: 1, notForUs: 1, unknownEtherType: 1, malformed: 1 });
  t.is(brokenInvariant(iface), undefined);
});

test("the receive budget bounds one poll", (t) => {
  const { iface, link } = makeB({ limits: { rxBudget: 3 } });
  for (let i = 0; i < 5; i++) link.inject(fixture("arp-request"));
  iface.poll(1, link);
  t.is(link.rx.length, 2);
  t.is(iface.stats.rx.frames, 3);
});
