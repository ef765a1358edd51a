/**
 * interface: one Ethernet interface with IPv4 (smoltcp's Interface is the model).
 * `poll(now, device)` reads up to `rxBudget` packets from the device and dispatches each —
 * ARP, ICMP echo, UDP to the SocketSet, TCP to the TcpLayer — then sends what is due:
 * gratuitous ARP, ARP retries, queued socket datagrams, TCP's segments; `receive` and
 * `transmit` are its two halves, for a caller that runs the sockets' owners in between
 * (net_stack.ts). `pollAt(now)`
 * says when it must run again without new input. Time is passed in (ms); nothing here
 * reads a clock or sets a timer.
 *
 * Input from the network never throws: every frame ends delivered or counted in
 * `stats.rx.drops` by reason (stats.ts gives the sum that must hold). Packets on the way
 * out are the 12-byte virtio-net header (no offloads asked: checksums are computed here
 * through the ChecksumFn) then the Ethernet frame. A received frame with DATA_VALID or
 * NEEDS_CSUM in its header has had its transport checksum checked (or is local and
 * partial) and skips verification (virtio 1.2 §5.1.6.4.1); the IPv4 header checksum is
 * always verified. A TCP segment to a resolved unicast destination starts from a template
 * of its first 46 bytes (#tcpTemplate: made once per destination and next-hop MAC), so only
 * the IPv4 length, ident and checksum are written per segment; everything else goes through
 * #route (ARP, queueing, fragmentation, drops by reason).
 */

import type { ChecksumFn, Ipv4Address, Ipv4Endpoints, LinkDevice, RandomFill, TcpLayer } from "../contracts.ts";
import { assert } from "../../assert.ts";
import { NET_HEADER_BYTES, NetGsoType, NetHeaderField, NetHeaderFlag } from "../../hal/devices.ts";
import { readU16, writeU16, writeU16le } from "../wire/bytes.ts";
import { addSums, finishChecksum, pseudoHeaderSum } from "../wire/checksum.ts";
import { ArpOperation, ArpPacket, ArpRepr } from "../wire/arp.ts";
import { ETHERNET_HEADER_LEN, ETHERTYPE_AT, EthernetFrame, EtherType, BROADCAST_MAC, isMulticastMac, readMac, writeMac, type MacAddress } from "../wire/ethernet.ts";
import { WireError } from "../wire/error.ts";
import { DstUnreachableCode, Icmpv4Packet, Icmpv4Repr } from "../wire/icmpv4.ts";
import {
  checkIpv4, FLAG_DF, IPV4_HEADER_LEN, IPV4_MAX_LEN, IpProtocol, Ipv4Packet, Ipv4Repr, ipv4DstAddr, ipv4HeaderLen, ipv4IsFragment, ipv4Protocol,
  ipv4SrcAddr, ipv4TotalLen, writeIpv4Header,
} from "../wire/ipv4.ts";
import { TcpAt, TcpRepr } from "../wire/tcp.ts";
import { BROADCAST_IPV4, isLoopbackIpv4, isMulticastIpv4, prefixMask, subnetBroadcast } from "../wire/ipv4_address.ts";
import { UdpPacket, UdpRepr, UDP_HEADER_LEN } from "../wire/udp.ts";
import { SocketSet } from "../socket/socket_set.ts";
import { DEFAULT_NEIGHBOR_LIMITS, NeighborCache, type NeighborLimits } from "./neighbor_cache.ts";
import { TokenBucket } from "./rate_limit.ts";
import { DEFAULT_REASSEMBLY_LIMITS, Reassembler, type ReassemblyLimits } from "./reassembly.ts";
import { newInterfaceStats, type InterfaceStats, type RxDrops, type TxDrops } from "./stats.ts";

export interface Ipv4Config {
  readonly address: Ipv4Address;
  readonly prefixLength: number;
  /** The default route's next hop; must be on-link. */
  readonly gateway?: Ipv4Address;
}

export interface InterfaceLimits {
  /** Packets read from the device per poll; default 64. */
  readonly rxBudget: number;
  readonly neighbors: NeighborLimits;
  readonly reassembly: ReassemblyLimits;
  /** ICMP errors per second, and the burst; default 10 and 10. */
  readonly icmpErrorsPerSecond: number;
  readonly icmpErrorBurst: number;
  /** TTL of datagrams we send; default 64. */
  readonly ttl: number;
}

export interface InterfaceConfig {
  readonly mac: MacAddress;
  /** Absent until configured (DHCP then calls setIpv4). */
  readonly ipv4?: Ipv4Config;
  readonly checksum: ChecksumFn;
  readonly sockets?: SocketSet;
  readonly tcp?: TcpLayer;
  /** Seeds the IP identification counter; without it, it starts at 0. */
  readonly randomFill?: RandomFill;
  readonly limits?: Partial<InterfaceLimits>;
}

/** Where a datagram on its way out went. */
type Sent = "sent" | "queued" | "device-full" | keyof TxDrops;

/** The start of every TCP frame to one destination, made for one next-hop MAC (Interface.#tcpTemplate). */
interface TcpTemplate {
  readonly nextHop: Ipv4Address;
  readonly mac: MacAddress;
  /** The virtio-net header (no offloads), the Ethernet header, and the IPv4 header (DF) with total length, ident and checksum zero. */
  readonly head: Uint8Array;
  /** The ones'-complement sum of that IPv4 header, and of the TCP pseudo-header with length zero. */
  readonly ipSum: number;
  readonly pseudoSum: number;
}

/** Destinations whose TCP frame templates are kept at most. */
const TCP_TEMPLATES = 64;

const LINK_HEADER = NET_HEADER_BYTES + ETHERNET_HEADER_LEN;
const IP_AT = LINK_HEADER;
const PAYLOAD_AT = LINK_HEADER + IPV4_HEADER_LEN;

export class Interface {
  readonly mac: MacAddress;
  readonly sockets: SocketSet;
  readonly stats: InterfaceStats = newInterfaceStats();
  readonly limits: InterfaceLimits;
  readonly neighbors: NeighborCache;
  readonly reassembler: Reassembler;
  readonly #checksum: ChecksumFn;
  readonly #tcp: TcpLayer | undefined;
  readonly #icmpErrors: TokenBucket;
  #ipv4: Ipv4Config | undefined;
  /** The address's netmask, and the subnet's directed broadcast (none for a /31 or /32): set with it, read per packet. */
  #netmask = 0;
  #subnetBroadcast: Ipv4Address | undefined;
  #announce = false;
  #ident: number;
  /** Per destination, what its TCP frames start with (#tcpTemplate); emptied when the address changes. */
  readonly #tcpTemplates = new Map<Ipv4Address, TcpTemplate>();

  constructor(config: InterfaceConfig) {
    this.mac = config.mac;
    this.#checksum = config.checksum;
    this.sockets = config.sockets ?? new SocketSet();
    this.#tcp = config.tcp;
    const given = config.limits ?? {};
    this.limits = {
      rxBudget: given.rxBudget ?? 64,
      neighbors: given.neighbors ?? DEFAULT_NEIGHBOR_LIMITS,
      reassembly: given.reassembly ?? DEFAULT_REASSEMBLY_LIMITS,
      icmpErrorsPerSecond: given.icmpErrorsPerSecond ?? 10,
      icmpErrorBurst: given.icmpErrorBurst ?? 10,
      ttl: given.ttl ?? 64,
    };
    this.neighbors = new NeighborCache(this.limits.neighbors);
    this.reassembler = new Reassembler(this.limits.reassembly, this.stats.fragments);
    this.#icmpErrors = new TokenBucket(this.limits.icmpErrorsPerSecond, this.limits.icmpErrorBurst);
    const seed = new Uint8Array(2);
    config.randomFill?.(seed);
    this.#ident = (seed[0]! << 8) | seed[1]!;
    if (config.ipv4 !== undefined) this.setIpv4(config.ipv4);
  }

  get ipv4(): Ipv4Config | undefined {
    return this.#ipv4;
  }

  /** Sets (or with undefined, removes) the address; a new address is announced with a gratuitous ARP on the next poll. */
  setIpv4(config: Ipv4Config | undefined): void {
    if (config !== undefined) {
      this.#netmask = prefixMask(config.prefixLength); // RangeError for a bad prefix length: a caller's bug
      config = { ...config, address: config.address >>> 0, ...(config.gateway !== undefined ? { gateway: config.gateway >>> 0 } : {}) };
      this.#subnetBroadcast = config.prefixLength < 31 ? subnetBroadcast(config.address, config.prefixLength) : undefined;
    } else {
      this.#subnetBroadcast = undefined;
    }
    if (config !== undefined && config.address !== this.#ipv4?.address) this.#announce = true;
    this.#ipv4 = config;
    this.#tcpTemplates.clear();
  }

  /**
   * Processes received packets (up to the budget) and sends what is due. True when the
   * budget ran out: more may be waiting, call again without sleeping. (Anything else due
   * now, pollAt says.)
   */
  poll(now: number, device: LinkDevice): boolean {
    const more = this.receive(now, device);
    this.transmit(now, device);
    return more;
  }

  /**
   * poll's first half: processes received packets (up to the budget), true when the budget
   * ran out. What they call for at once (ARP and echo replies, RSTs) is queued on the
   * device; TCP's ACKs wait for transmit(), so a caller that lets the sockets' owners run
   * in between sends each ACK with their answer, and with the window their reads reopened.
   */
  receive(now: number, device: LinkDevice): boolean {
    let more = false;
    for (let i = 0; i < this.limits.rxBudget; i++) {
      const packet = device.receive();
      if (packet === undefined) break;
      more = i === this.limits.rxBudget - 1;
      this.#receive(now, device, packet);
    }
    this.reassembler.expire(now);
    return more;
  }

  /** poll's second half: sends what is due (gratuitous ARP, ARP retries, datagrams, TCP's segments). */
  transmit(now: number, device: LinkDevice): void {
    this.#transmit(now, device);
  }

  /** When poll must run again without new input: now if something waits to be sent, else the next timer, else Infinity. */
  pollAt(now: number): number {
    if (this.#announce || this.sockets.hasOutgoing()) return now;
    let at = this.#tcp === undefined ? Infinity : this.#tcp.pollAt(now);
    const neighbors = this.neighbors.pollAt();
    if (neighbors < at) at = neighbors;
    const reassembly = this.reassembler.pollAt();
    return reassembly < at ? reassembly : at; // not Math.min: this runs several times a loop turn
  }

  // ---- receive --------------------------------------------------------------------

  #drop(reason: keyof RxDrops): void {
    this.stats.rx.drops[reason]++;
  }

  /**
   * One packet: the virtio-net header, then the Ethernet frame. The Ethernet and IPv4
   * headers are read in place, at their offsets in `packet` (a view per layer costs as much
   * as the reading); only the layer's payload handed on is a view.
   */
  #receive(now: number, device: LinkDevice, packet: Uint8Array): void {
    this.stats.rx.frames++;
    if (packet.length < LINK_HEADER) return this.#drop("malformed"); // no virtio-net header, or no Ethernet header after it
    const verified = (packet[0]! & (NetHeaderFlag.DataValid | NetHeaderFlag.NeedsCsum)) !== 0;
    const destination = readMac(packet, NET_HEADER_BYTES);
    if (destination !== this.mac && destination !== BROADCAST_MAC) return this.#drop("notForUs");
    switch (readU16(packet, NET_HEADER_BYTES + ETHERTYPE_AT)) {
      case EtherType.Arp:
        return this.#receiveArp(now, device, EthernetFrame.checked(packet.subarray(NET_HEADER_BYTES)) as EthernetFrame); // long enough: checked above
      case EtherType.Ipv4:
        return this.#receiveIpv4(now, device, packet, verified);
      default:
        return this.#drop("unknownEtherType");
    }
  }

  #receiveArp(now: number, device: LinkDevice, frame: EthernetFrame): void {
    const packet = ArpPacket.checked(frame.payload());
    if (packet instanceof WireError) return this.#drop("malformed");
    const arp = ArpRepr.parse(packet);
    if (arp instanceof WireError) return this.#drop("malformed");
    const ours = this.#ipv4?.address;
    const sender = arp.senderProtocolAddr;
    const usable = sender !== 0 && !this.#isMartian(sender) && !isMulticastMac(arp.senderHardwareAddr);
    // RFC 826 "Packet Reception": update an entry we have; add one only when the packet is for us.
    const forUs = ours !== undefined && arp.targetProtocolAddr === ours;
    if (usable && (forUs || this.neighbors.has(sender))) {
      for (const waiting of this.neighbors.fill(sender, arp.senderHardwareAddr, now)) {
        writeMac(waiting, NET_HEADER_BYTES, arp.senderHardwareAddr);
        this.#sendOrDrop(device, waiting);
      }
    }
    if (!forUs || !usable) return this.#drop("notForUs");
    this.stats.rx.delivered++;
    if (arp.operation !== ArpOperation.Request) return;
    const reply = this.#newFrame(ArpRepr.bufferLen(), arp.senderHardwareAddr, EtherType.Arp);
    ArpRepr.emit({ operation: ArpOperation.Reply, senderHardwareAddr: this.mac, senderProtocolAddr: ours, targetHardwareAddr: arp.senderHardwareAddr, targetProtocolAddr: sender }, reply, LINK_HEADER);
    if (this.#sendOrDrop(device, reply)) this.stats.arp.repliesSent++;
  }

  #isMartian(source: Ipv4Address): boolean {
    if (source === BROADCAST_IPV4 || isMulticastIpv4(source) || isLoopbackIpv4(source)) return true;
    return source === this.#subnetBroadcast;
  }

  /** True for the broadcast addresses we listen on. */
  #isBroadcast(dst: Ipv4Address): boolean {
    return dst === BROADCAST_IPV4 || dst === this.#subnetBroadcast;
  }

  /** The IPv4 packet at IP_AT in `frame` (virtio-net header, Ethernet, IP). */
  #receiveIpv4(now: number, device: LinkDevice, frame: Uint8Array, verified: boolean): void {
    if (checkIpv4(frame, IP_AT) !== undefined) return this.#drop("malformed");
    const headerLen = ipv4HeaderLen(frame, IP_AT);
    if (this.#checksum(frame, IP_AT, IP_AT + headerLen, 0) !== 0xffff) return this.#drop("badChecksum");
    const src = ipv4SrcAddr(frame, IP_AT);
    const dst = ipv4DstAddr(frame, IP_AT);
    if (this.#isMartian(src)) return this.#drop("martian");
    const ours = this.#ipv4?.address;
    const broadcast = this.#isBroadcast(dst);
    // Unconfigured (DHCP in progress), a unicast frame to our MAC is ours whatever its IP (a DHCPOFFER to yiaddr).
    if (dst !== ours && !broadcast && ours !== undefined) return this.#drop("notForUs");
    if (!ipv4IsFragment(frame, IP_AT)) {
      const payload = frame.subarray(IP_AT + headerLen, IP_AT + ipv4TotalLen(frame, IP_AT)); // link padding excluded
      return this.#dispatch(now, device, frame, IP_AT, headerLen, ipv4Protocol(frame, IP_AT), src, dst, payload, verified, broadcast);
    }
    const packet = Ipv4Packet.checked(frame.subarray(IP_AT)) as Ipv4Packet; // checked above
    const outcome = this.reassembler.add(packet, now);
    if (outcome === "held") {
      this.stats.fragments.accepted++;
      return;
    }
    if (outcome === "overflow") return this.#drop("fragmentOverflow");
    if (outcome === "invalid") return this.#drop("fragmentInvalid");
    // This fragment completed a datagram: it was held too, then used with the others.
    this.stats.fragments.accepted++;
    this.stats.fragments.used += outcome.fragments;
    this.stats.fragments.reassembled++;
    // The reassembled data never had offload: the device checked (at most) the last fragment.
    this.#dispatch(now, device, outcome.header, 0, outcome.header.length, packet.protocol, src, dst, outcome.payload, false, broadcast);
  }

  /**
   * One whole datagram for us. Its IP header is `headerLen` bytes at `bytes[headerAt…]`
   * (for ICMP errors, which quote it with the first 8 data bytes: a view made only then).
   */
  #dispatch(now: number, device: LinkDevice, bytes: Uint8Array, headerAt: number, headerLen: number, protocol: number, src: Ipv4Address, dst: Ipv4Address, payload: Uint8Array, verified: boolean, broadcast: boolean): void {
    const ours = this.#ipv4?.address;
    switch (protocol) {
      case IpProtocol.Icmp:
        if (ours === undefined) return this.#drop("notForUs");
        return this.#receiveIcmp(now, device, src, payload, broadcast);
      case IpProtocol.Udp:
        return this.#receiveUdp(now, device, bytes.subarray(headerAt, headerAt + headerLen), src, dst, payload, verified, broadcast);
      case IpProtocol.Tcp:
        if (this.#tcp === undefined) break;
        if (broadcast || ours === undefined || src === 0) return this.#drop("notForUs");
        this.stats.rx.delivered++;
        this.#tcp.input(now, { src, dst }, payload, verified);
        return;
    }
    this.#drop("unknownProtocol");
    if (!broadcast && ours !== undefined) this.#sendIcmpError(now, device, src, DstUnreachableCode.ProtoUnreachable, bytes.subarray(headerAt, headerAt + headerLen), payload);
  }

  #receiveIcmp(now: number, device: LinkDevice, src: Ipv4Address, payload: Uint8Array, broadcast: boolean): void {
    const packet = Icmpv4Packet.checked(payload);
    if (packet instanceof WireError) return this.#drop("malformed");
    if (!packet.verifyChecksum(this.#checksum)) return this.#drop("badChecksum");
    const icmp = Icmpv4Repr.parse(packet);
    if (icmp instanceof WireError) return this.#drop("icmpIgnored"); // types we do not handle
    if (icmp.kind === "echo-request") {
      if (broadcast || src === 0) return this.#drop("icmpIgnored"); // RFC 1122 §3.2.2.6: MAY ignore broadcast echo
      this.stats.rx.delivered++;
      const reply: Icmpv4Repr = { kind: "echo-reply", ident: icmp.ident, seqNo: icmp.seqNo, data: icmp.data };
      const length = Icmpv4Repr.bufferLen(reply);
      if (IPV4_HEADER_LEN + length > IPV4_MAX_LEN) return;
      const frame = this.#newIpFrame(src, IpProtocol.Icmp, length, false);
      if (frame === undefined) return;
      Icmpv4Repr.emit(reply, frame, PAYLOAD_AT, this.#checksum);
      const sent = this.#route(now, device, frame, src);
      if (sent === "device-full") this.stats.tx.drops.deviceFull++;
      else if (sent === "sent" || sent === "queued") this.stats.icmp.echoRepliesSent++;
      return;
    }
    if (icmp.kind === "echo-reply") {
      const socket = this.sockets.icmp(icmp.ident);
      if (socket === undefined) return this.#drop("icmpIgnored");
      if (!socket.deliver(src, icmp.seqNo, icmp.data)) return this.#drop("socketFull");
      this.stats.rx.delivered++;
      return;
    }
    this.#drop("icmpIgnored"); // errors: nothing above listens for them yet
  }

  #receiveUdp(now: number, device: LinkDevice, header: Uint8Array, src: Ipv4Address, dst: Ipv4Address, payload: Uint8Array, verified: boolean, broadcast: boolean): void {
    const packet = UdpPacket.checked(payload);
    if (packet instanceof WireError) return this.#drop("malformed");
    if (!verified && !packet.verifyChecksum(this.#checksum, src, dst)) return this.#drop("badChecksum");
    const socket = this.sockets.udp(packet.dstPort);
    if (socket === undefined || packet.dstPort === 0) {
      this.#drop("noSocket");
      // RFC 1122 §4.1.3.1: port unreachable, but never about a broadcast (§3.2.2).
      if (!broadcast && this.#ipv4 !== undefined && dst === this.#ipv4.address && src !== 0) this.#sendIcmpError(now, device, src, DstUnreachableCode.PortUnreachable, header, payload);
      return;
    }
    if (!socket.deliver({ address: src, port: packet.srcPort }, dst, packet.payload())) return this.#drop("socketFull");
    this.stats.rx.delivered++;
  }

  /** Destination unreachable quoting the invoking header and 8 data bytes (RFC 792), rate-limited. */
  #sendIcmpError(now: number, device: LinkDevice, to: Ipv4Address, code: number, header: Uint8Array, payload: Uint8Array): void {
    if (!this.#icmpErrors.take(now)) {
      this.stats.icmp.rateLimited++;
      return;
    }
    const invoking = new Uint8Array(header.length + Math.min(8, payload.length));
    invoking.set(header);
    invoking.set(payload.subarray(0, 8), header.length);
    const error: Icmpv4Repr = { kind: "dst-unreachable", code, nextHopMtu: 0, invoking };
    const frame = this.#newIpFrame(to, IpProtocol.Icmp, Icmpv4Repr.bufferLen(error), false);
    if (frame === undefined) return;
    Icmpv4Repr.emit(error, frame, PAYLOAD_AT, this.#checksum);
    const sent = this.#route(now, device, frame, to);
    if (sent === "device-full") this.stats.tx.drops.deviceFull++;
    else if (sent === "sent" || sent === "queued") this.stats.icmp.errorsSent++;
  }

  // ---- transmit -------------------------------------------------------------------

  #transmit(now: number, device: LinkDevice): void {
    const dropped = this.neighbors.expire(now);
    this.stats.tx.drops.arpTimeout += dropped;
    const ours = this.#ipv4;
    if (this.#announce && ours !== undefined) {
      // Gratuitous ARP (RFC 5227 §3): a request for our own address, sender = target.
      const frame = this.#newFrame(ArpRepr.bufferLen(), BROADCAST_MAC, EtherType.Arp);
      ArpRepr.emit({ operation: ArpOperation.Request, senderHardwareAddr: this.mac, senderProtocolAddr: ours.address, targetHardwareAddr: 0, targetProtocolAddr: ours.address }, frame, LINK_HEADER);
      if (this.#sendFrame(device, frame)) {
        this.stats.arp.gratuitousSent++;
        this.#announce = false;
      }
    }
    if (this.sockets.hasOutgoing()) this.#sendSockets(now, device);
    if (this.#tcp !== undefined) { // output finds what is due itself, more cheaply than asking pollAt first
      this.#tcpNow = now;
      this.#tcpDevice = device;
      this.#tcp.output(now, this.#tcpSegmentOut);
      this.#tcpDevice = undefined;
    }
    // Last, so that a neighbour first needed by this turn's output is asked at once.
    if (this.neighbors.pollAt() > now) return;
    for (const ip of this.neighbors.requestsDue(now)) {
      if (ours === undefined) break;
      const frame = this.#newFrame(ArpRepr.bufferLen(), BROADCAST_MAC, EtherType.Arp);
      ArpRepr.emit({ operation: ArpOperation.Request, senderHardwareAddr: this.mac, senderProtocolAddr: ours.address, targetHardwareAddr: 0, targetProtocolAddr: ip }, frame, LINK_HEADER);
      if (!this.#sendFrame(device, frame)) break;
      this.neighbors.requestSent(ip, now);
      this.stats.arp.requestsSent++;
    }
  }

  /** The turn and device of the TCP output in progress (#tcpSegmentOut's). */
  #tcpNow = 0;
  #tcpDevice: LinkDevice | undefined;

  /** TCP's segment sink for the output in progress: made once, not a closure per turn. */
  readonly #tcpSegmentOut = (ip: Ipv4Endpoints, segment: TcpRepr, segmentSize: number): boolean => {
    const ours = this.#ipv4;
    if (ours === undefined || ip.src !== ours.address) {
      this.stats.tx.drops.noRoute++;
      return true; // not sendable from here, ever: TCP's retransmission gives up in time
    }
    return this.#sendTcp(this.#tcpNow, this.#tcpDevice!, ip.dst, segment, segmentSize);
  };

  #sendSockets(now: number, device: LinkDevice): void {
    for (const socket of this.sockets.udpSockets()) {
      for (let next = socket.peekOutgoing(); next !== undefined; next = socket.peekOutgoing()) {
        const frame = this.#newIpFrame(next.to.address, IpProtocol.Udp, UDP_HEADER_LEN + next.bytes.length, false);
        if (frame === undefined) {
          socket.dropped();
          continue;
        }
        const src = this.#ipv4?.address ?? 0;
        UdpRepr.emit({ srcPort: socket.port, dstPort: next.to.port }, frame, PAYLOAD_AT, next.bytes, src, next.to.address, this.#checksum);
        const outcome = this.#route(now, device, frame, next.to.address);
        if (outcome === "device-full") return;
        if (outcome === "sent" || outcome === "queued") socket.sent();
        else socket.dropped();
      }
    }
    for (const socket of this.sockets.icmpSockets()) {
      for (let next = socket.peekOutgoing(); next !== undefined; next = socket.peekOutgoing()) {
        const echo: Icmpv4Repr = { kind: "echo-request", ident: socket.ident, seqNo: next.seqNo, data: next.bytes };
        const frame = this.#ipv4 === undefined ? undefined : this.#newIpFrame(next.to, IpProtocol.Icmp, Icmpv4Repr.bufferLen(echo), false);
        if (frame === undefined) {
          if (this.#ipv4 === undefined) this.stats.tx.drops.noRoute++;
          socket.dropped();
          continue;
        }
        Icmpv4Repr.emit(echo, frame, PAYLOAD_AT, this.#checksum);
        const outcome = this.#route(now, device, frame, next.to);
        if (outcome === "device-full") return;
        if (outcome === "sent" || outcome === "queued") socket.sent();
        else socket.dropped();
      }
    }
  }

  /** A zeroed packet: virtio-net header (no offloads), Ethernet header, room for `length` bytes. */
  #newFrame(length: number, destination: MacAddress, etherType: number): Uint8Array {
    const frame = new Uint8Array(LINK_HEADER + length);
    writeMac(frame, NET_HEADER_BYTES, destination);
    writeMac(frame, NET_HEADER_BYTES + 6, this.mac);
    frame[NET_HEADER_BYTES + 12] = etherType >>> 8;
    frame[NET_HEADER_BYTES + 13] = etherType & 0xff;
    return frame;
  }

  /**
   * One TCP segment into one frame: virtio-net header, Ethernet, IPv4 (DF), then the TCP
   * header and payload written in place — one allocation and one copy of the payload.
   * With VIRTIO_NET_F_CSUM the device fills the checksum (NEEDS_CSUM, the pseudo-header
   * sum left in the field, as Linux does); a payload over `segmentSize` goes as one TSO
   * frame (GSO TCPV4) the device cuts into segments. False only when the device is full.
   */
  #sendTcp(now: number, device: LinkDevice, dst: Ipv4Address, segment: TcpRepr, segmentSize: number): boolean {
    const headerLen = TcpRepr.headerLen(segment);
    const tcpLength = headerLen + segment.payload.length;
    const gso = segment.payload.length > segmentSize;
    const ipLength = IPV4_HEADER_LEN + tcpLength;
    const template = ipLength <= IPV4_MAX_LEN && (gso || ipLength <= device.info.mtu) ? this.#tcpTemplate(now, dst) : undefined;
    let frame: Uint8Array;
    let pseudo: number;
    if (template !== undefined) {
      // The common case: the template's head, then the three IPv4 fields that change.
      frame = new Uint8Array(PAYLOAD_AT + tcpLength);
      frame.set(template.head);
      const ident = this.#ident = (this.#ident + 1) & 0xffff;
      frame[IP_AT + 2] = ipLength >>> 8;
      frame[IP_AT + 3] = ipLength;
      frame[IP_AT + 4] = ident >>> 8;
      frame[IP_AT + 5] = ident;
      const ipChecksum = finishChecksum(addSums(addSums(template.ipSum, ipLength), ident));
      frame[IP_AT + 10] = ipChecksum >>> 8;
      frame[IP_AT + 11] = ipChecksum;
      pseudo = addSums(template.pseudoSum, tcpLength);
    } else {
      const built = this.#newIpFrame(dst, IpProtocol.Tcp, tcpLength, true);
      if (built === undefined) return true;
      frame = built;
      pseudo = pseudoHeaderSum(this.#ipv4?.address ?? 0, dst, IpProtocol.Tcp, tcpLength);
    }
    TcpRepr.emitInto(segment, headerLen, frame, PAYLOAD_AT);
    const checksumAt = PAYLOAD_AT + TcpAt.Checksum;
    if (device.info.offloads.csum) {
      writeU16(frame, checksumAt, pseudo);
      frame[NetHeaderField.flags] = NetHeaderFlag.NeedsCsum;
      writeU16le(frame, NetHeaderField.csumStart, ETHERNET_HEADER_LEN + IPV4_HEADER_LEN);
      writeU16le(frame, NetHeaderField.csumOffset, TcpAt.Checksum);
      if (gso) {
        assert(device.info.offloads.hostTso4, "a TSO segment for a device without HOST_TSO4");
        frame[NetHeaderField.gsoType] = NetGsoType.TcpV4;
        writeU16le(frame, NetHeaderField.hdrLen, ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + headerLen);
        writeU16le(frame, NetHeaderField.gsoSize, segmentSize);
      }
    } else {
      assert(!gso, "a TSO segment for a device without checksum offload");
      writeU16(frame, checksumAt, finishChecksum(this.#checksum(frame, PAYLOAD_AT, PAYLOAD_AT + tcpLength, pseudo)));
    }
    if (template !== undefined) return this.#sendFrame(device, frame);
    return this.#route(now, device, frame, dst, gso) !== "device-full";
  }

  /**
   * What every TCP frame to `dst` starts with while its next hop's MAC stays the same:
   * undefined where #route has more to decide (no address yet, a broadcast, multicast or
   * unroutable destination, a next hop not resolved — ARP, queueing and drops stay there).
   */
  #tcpTemplate(now: number, dst: Ipv4Address): TcpTemplate | undefined {
    const ours = this.#ipv4;
    if (ours === undefined) return undefined;
    const known = this.#tcpTemplates.get(dst);
    const nextHop = known !== undefined ? known.nextHop : this.#unicastNextHop(dst, ours);
    if (nextHop === undefined) return undefined;
    const mac = this.neighbors.lookup(nextHop, now);
    if (mac === undefined) return undefined;
    if (known !== undefined && known.mac === mac) return known;
    // The IPv4 header with total length, ident and checksum zero: its sum is the fixed part.
    const head = this.#newFrame(IPV4_HEADER_LEN, mac, EtherType.Ipv4);
    writeIpv4Header(head, IP_AT, ours.address, dst, IpProtocol.Tcp, 0, 0, this.limits.ttl, FLAG_DF, 0, this.#checksum);
    head[IP_AT + 2] = head[IP_AT + 3] = head[IP_AT + 10] = head[IP_AT + 11] = 0;
    const template: TcpTemplate = {
      nextHop, mac, head, ipSum: this.#checksum(head, IP_AT, IP_AT + IPV4_HEADER_LEN, 0), pseudoSum: pseudoHeaderSum(ours.address, dst, IpProtocol.Tcp, 0),
    };
    if (known === undefined && this.#tcpTemplates.size >= TCP_TEMPLATES) this.#tcpTemplates.clear(); // bounded; rebuilt on use
    this.#tcpTemplates.set(dst, template);
    return template;
  }

  /** The next hop for a unicast datagram to `dst` (itself on-link, else the gateway); undefined where #route would not send one. */
  #unicastNextHop(dst: Ipv4Address, ours: Ipv4Config): Ipv4Address | undefined {
    if (this.#isBroadcast(dst) || isMulticastIpv4(dst) || dst === 0 || isLoopbackIpv4(dst) || dst === ours.address) return undefined;
    return ((dst ^ ours.address) & this.#netmask) === 0 ? dst : ours.gateway;
  }

  /**
   * A packet with its IP header written (source: our address, or 0.0.0.0 before we have
   * one) and `payloadLen` bytes of room at PAYLOAD_AT; the Ethernet destination is filled
   * in by #route. Undefined (counted tooBig) when IPv4 cannot carry it.
   */
  #newIpFrame(dst: Ipv4Address, protocol: number, payloadLen: number, dontFrag: boolean): Uint8Array | undefined {
    if (IPV4_HEADER_LEN + payloadLen > IPV4_MAX_LEN) {
      this.stats.tx.drops.tooBig++;
      return undefined;
    }
    const frame = this.#newFrame(IPV4_HEADER_LEN + payloadLen, 0, EtherType.Ipv4);
    this.#ident = (this.#ident + 1) & 0xffff;
    writeIpv4Header(frame, IP_AT, this.#ipv4?.address ?? 0, dst, protocol, payloadLen, this.#ident, this.limits.ttl, dontFrag ? FLAG_DF : 0, 0, this.#checksum);
    return frame;
  }

  /**
   * Sends a finished IP packet towards `dst`: finds the next hop (on-link, broadcast or
   * the gateway), its MAC (from the cache, else the packet waits for ARP), fragments it
   * when it exceeds the MTU and DF is clear (RFC 791 §3.2), counts every failure.
   */
  #route(now: number, device: LinkDevice, frame: Uint8Array, dst: Ipv4Address, gso = false): Sent {
    const ours = this.#ipv4;
    let nextHopMac: MacAddress | undefined;
    let nextHop: Ipv4Address = dst;
    if (this.#isBroadcast(dst)) nextHopMac = BROADCAST_MAC;
    else if (isMulticastIpv4(dst)) nextHopMac = 0x01005e000000 + (dst & 0x7fffff); // RFC 1112 §6.4
    else if (ours === undefined || dst === 0 || isLoopbackIpv4(dst) || dst === ours.address) return this.#txDrop("noRoute");
    else if (((dst ^ ours.address) & this.#netmask) !== 0) {
      if (ours.gateway === undefined) return this.#txDrop("noRoute");
      nextHop = ours.gateway;
    }
    const mtu = device.info.mtu;
    if (frame.length - LINK_HEADER <= mtu || gso) {
      // One frame (every TCP segment: TCP sizes them, or the device cuts a GSO one): no list.
      nextHopMac ??= this.neighbors.lookup(nextHop, now);
      if (nextHopMac === undefined) return this.neighbors.enqueue(nextHop, frame, now) ? "queued" : this.#txDrop("arpQueueFull");
      writeMac(frame, NET_HEADER_BYTES, nextHopMac);
      return this.#sendFrame(device, frame) ? "sent" : "device-full";
    }
    const frames = this.#fragment(frame, mtu);
    if (frames.length === 0) return this.#txDrop("tooBig");
    nextHopMac ??= this.neighbors.lookup(nextHop, now);
    if (nextHopMac === undefined) {
      for (const piece of frames) if (!this.neighbors.enqueue(nextHop, piece, now)) return this.#txDrop("arpQueueFull");
      return "queued";
    }
    for (let i = 0; i < frames.length; i++) {
      const piece = frames[i]!;
      writeMac(piece, NET_HEADER_BYTES, nextHopMac);
      if (this.#sendFrame(device, piece)) continue;
      if (i === 0) return "device-full"; // nothing went out: the caller may keep it and retry
      this.stats.tx.drops.deviceFull++; // part of a fragmented datagram went: the rest is lost, as on a lossy link
      return "sent";
    }
    return "sent";
  }

  #txDrop(reason: keyof TxDrops): keyof TxDrops {
    this.stats.tx.drops[reason]++;
    return reason;
  }

  /** Splits an IP packet into MTU-sized fragments (data in multiples of 8); [] when DF forbids it. */
  #fragment(frame: Uint8Array, mtu: number): Uint8Array[] {
    const packet = Ipv4Packet.checked(frame.subarray(IP_AT));
    if (packet instanceof WireError || packet.dontFrag) return [];
    const header = Ipv4Repr.parse(packet);
    if (header instanceof WireError) return [];
    const data = packet.payload();
    const step = Math.floor((mtu - IPV4_HEADER_LEN) / 8) * 8;
    if (step <= 0) return [];
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < data.length; at += step) {
      const chunk = data.subarray(at, Math.min(data.length, at + step));
      const piece = new Uint8Array(PAYLOAD_AT + chunk.length);
      piece.set(frame.subarray(0, IP_AT));
      Ipv4Repr.emit({ ...header, payloadLen: chunk.length, fragOffset: at, moreFrags: at + step < data.length }, piece, IP_AT, this.#checksum);
      piece.set(chunk, PAYLOAD_AT);
      pieces.push(piece);
    }
    this.stats.fragments.sent += pieces.length;
    return pieces;
  }

  /** Hands one packet to the device; false when its queue is full (the caller retries or counts the drop). */
  #sendFrame(device: LinkDevice, frame: Uint8Array): boolean {
    if (device.send(frame) !== 1) return false;
    this.stats.tx.frames++;
    return true;
  }

  /** Sends a packet nobody will retry: a full device queue is a counted drop. */
  #sendOrDrop(device: LinkDevice, frame: Uint8Array): boolean {
    if (this.#sendFrame(device, frame)) return true;
    this.stats.tx.drops.deviceFull++;
    return false;
  }
}
