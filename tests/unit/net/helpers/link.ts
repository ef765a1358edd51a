/**
 * Test doubles for the interface's neighbours: FakeLink plays the device (frames in,
 * frames out, a transmit queue that can be full), TcpDouble plays the TcpLayer (records
 * what it is given, sends what the test queues). Plus the invariants every interface
 * test and the fuzz test check.
 */
import type { Ipv4Endpoints, LinkDevice, TcpLayer } from "../../../../kernel-ts/net/contracts.ts";
import { Interface, totalDrops } from "../../../../kernel-ts/net/iface/mod.ts";
import type { TcpRepr } from "../../../../kernel-ts/net/wire/tcp.ts";

export const NET_HEADER = 12;

export class FakeLink implements LinkDevice {
  readonly mac: string;
  readonly info: LinkDevice["info"];
  readonly rx: Uint8Array[] = [];
  sent: Uint8Array[] = [];
  /** Packets send() still takes; Infinity by default. */
  room = Infinity;

  constructor(mac = "52:54:00:99:77:02", mtu = 1500, offloads: Partial<LinkDevice["info"]["offloads"]> = {}) {
    this.mac = mac;
    this.info = { mtu, offloads: { csum: false, guestCsum: false, hostTso4: false, guestTso4: false, ...offloads } };
  }

  /** Queues an Ethernet frame for the interface, behind a virtio-net header with `flags`. */
  inject(frame: Uint8Array, flags = 0): void {
    const packet = new Uint8Array(NET_HEADER + frame.length);
    packet[0] = flags;
    packet.set(frame, NET_HEADER);
    this.rx.push(packet);
  }

  receive(): Uint8Array | undefined {
    return this.rx.shift();
  }

  send(packets: Uint8Array | readonly Uint8Array[]): number {
    const list = packets instanceof Uint8Array ? [packets] : packets;
    const taken = Math.min(list.length, this.room);
    for (let i = 0; i < taken; i++) this.sent.push(list[i]!);
    this.room -= taken;
    return taken;
  }

  /** The Ethernet frames sent since the last take (virtio-net headers stripped). */
  take(): Uint8Array[] {
    const frames = this.sent.map((p) => p.subarray(NET_HEADER));
    this.sent = [];
    return frames;
  }
}

export interface TcpInput {
  readonly now: number;
  readonly ip: Ipv4Endpoints;
  readonly segment: Uint8Array;
  readonly checksumVerified: boolean;
}

/** A TCP segment from port 40000 to 80 with `payload` (or that many zero bytes), for TcpDouble.outgoing. */
export function segmentOf(payload: Uint8Array | number): TcpRepr {
  const bytes = typeof payload === "number" ? new Uint8Array(payload) : payload;
  return { srcPort: 40000, dstPort: 80, seqNumber: 1000, ackNumber: 2000, flags: 0x18, windowLen: 512, options: {}, payload: bytes };
}

export class TcpDouble implements TcpLayer {
  readonly inputs: TcpInput[] = [];
  /** Segments output() offers, in order; those the link refuses stay. */
  outgoing: { ip: Ipv4Endpoints; repr: TcpRepr; segmentSize: number }[] = [];
  /** Keep every input (tests) or only count them (fuzz: memory stays flat). */
  constructor(readonly record = true) {}
  inputCount = 0;
  timerAt = Infinity;

  input(now: number, ip: Ipv4Endpoints, segment: Uint8Array, checksumVerified: boolean): void {
    this.inputCount++;
    if (this.record) this.inputs.push({ now, ip, segment: segment.slice(), checksumVerified });
  }

  output(_now: number, send: (ip: Ipv4Endpoints, segment: TcpRepr, segmentSize: number) => boolean): void {
    while (this.outgoing.length > 0) {
      const next = this.outgoing[0]!;
      if (!send(next.ip, next.repr, next.segmentSize)) return;
      this.outgoing.shift();
    }
  }

  pollAt(now: number): number {
    return this.outgoing.length > 0 ? now : this.timerAt;
  }
}

/** The sums stats.ts promises, and the bounds the limits promise. Returns the first broken one, or undefined. */
export function brokenInvariant(iface: Interface): string | undefined {
  const { rx, fragments } = iface.stats;
  const outcomes = rx.delivered + fragments.accepted + totalDrops(rx.drops);
  if (rx.frames + fragments.reassembled !== outcomes) return `rx: ${rx.frames} frames + ${fragments.reassembled} reassembled ≠ ${outcomes} outcomes (${JSON.stringify(rx)})`;
  const held = iface.reassembler.fragmentsHeld;
  if (fragments.accepted !== fragments.used + fragments.discarded + held) return `fragments: accepted ${fragments.accepted} ≠ used ${fragments.used} + discarded ${fragments.discarded} + held ${held}`;
  const r = iface.limits.reassembly;
  if (iface.reassembler.bytesHeld > r.totalBytes) return `reassembly holds ${iface.reassembler.bytesHeld} bytes > ${r.totalBytes}`;
  if (iface.reassembler.datagramsInProgress > r.datagrams) return `reassembly has ${iface.reassembler.datagramsInProgress} datagrams > ${r.datagrams}`;
  const n = iface.neighbors.sizes;
  const l = iface.limits.neighbors;
  if (n.entries > l.entries) return `arp cache has ${n.entries} entries > ${l.entries}`;
  if (n.pendingNeighbors > l.pendingNeighbors) return `${n.pendingNeighbors} pending neighbours > ${l.pendingNeighbors}`;
  if (n.largestPending > l.pendingPerNeighbor) return `a pending queue holds ${n.largestPending} > ${l.pendingPerNeighbor}`;
  for (const socket of iface.sockets.udpSockets()) {
    if (socket.rxQueued > 64 || socket.queuedBytes.rx > 256 * 1024) return `udp ${socket.port} holds ${socket.rxQueued} datagrams, ${socket.queuedBytes.rx} bytes`;
  }
  return undefined;
}
