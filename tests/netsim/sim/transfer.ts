/**
 * transfer: the bulk-transfer scenario. A (client) connects to B (server, port 9000); A
 * sends `bytes` seeded bytes to B and, when `bidirectional`, B sends as many to A over the
 * same connection at the same time. Each side writes as fast as its send buffer takes,
 * reads everything that arrives, compares it with what the other side wrote (bit-exact,
 * as it arrives), and closes its write side when done; the run ends when both sides have
 * read the other's FIN and the connection is closed at both ends.
 *
 * Observers, per direction:
 * - stalls: the longest stretch of virtual time in which the receiver got no new in-order
 *   byte, with the sender's RTO in force (the largest it reached, backoff included, during
 *   that stretch). A stall is explained when it is no longer than that RTO plus one round
 *   trip of the path (the retransmission must still cross it) plus the delayed-ACK timer.
 * - unnecessary retransmissions: data segments (not the wire's own duplicates) that arrive
 *   carrying only bytes the receiver already holds — an oracle only a simulator has.
 */

import { TcpPacket } from "../../../kernel-ts/net/wire/tcp.ts";
import { EthernetFrame, EtherType, IpProtocol, Ipv4Packet, WireError } from "../../../kernel-ts/net/wire/mod.ts";
import type { TcpConnection } from "../../../kernel-ts/net/tcp/mod.ts";
import type { Tcb } from "../../../kernel-ts/net/tcp/mod.ts";
import { seqDiff, seqLe } from "../../../kernel-ts/net/tcp/seq.ts";
import { deriveSeed, seededBytes } from "./random.ts";
import { ADDRESS_A, ADDRESS_B, Simulation, type SimulationConfig } from "./simulation.ts";
import type { SimNode } from "./node.ts";
import type { LinkModel } from "./wire.ts";

const PORT = 9000;
const WRITE_CHUNK = 64 * 1024;
const NET_HEADER = 12;

export interface TransferOptions extends SimulationConfig {
  readonly bytes: number;
  readonly bidirectional: boolean;
  /** Virtual time limit, ms. */
  readonly maxVirtualMs?: number;
}

export interface Stall {
  /** ms without a new in-order byte at the receiver. */
  readonly gap: number;
  /** When it ended (virtual ms). */
  readonly endedAt: number;
  /** The sender's largest RTO during it, backoff included. */
  readonly rtoInForce: number;
  /** rtoInForce + a path round trip + the delayed-ACK timer. */
  readonly explained: number;
}

export interface DirectionReport {
  readonly name: string;
  readonly received: number;
  /** Byte offset of the first difference, or undefined when every byte matched. */
  readonly firstMismatch: number | undefined;
  /** From the connection being established to the last byte read, ms. */
  readonly duration: number;
  readonly longestStall: Stall;
  /** Data segments that arrived holding nothing new (the wire's duplicates not counted). */
  readonly unnecessaryRetransmits: number;
}

export interface TransferReport {
  readonly seed: number;
  readonly directions: DirectionReport[];
  /** Until both ends are closed, ms. */
  readonly totalDuration: number;
  readonly turns: number;
  readonly stacks: { name: string; segments: number; retransmits: number; timeouts: number; recoveries: number; spuriousRecoveries: number }[];
  readonly wire: { name: string; sent: number; lost: number; queueDrops: number; duplicated: number; reordered: number }[];
  readonly errors: string[];
}

/** One direction's writer at one end, reader at the other, and the observers. */
class Flow {
  written = 0;
  closedWrite = false;
  received = 0;
  firstMismatch: number | undefined;
  doneAt = NaN;
  startedAt = NaN;
  lastProgressAt = NaN;
  rtoSinceProgress = 0;
  longest: Stall = { gap: 0, endedAt: 0, rtoInForce: 0, explained: 0 };
  unnecessary = 0;

  constructor(readonly name: string, readonly data: Uint8Array, readonly slack: number) {}

  write(conn: TcpConnection): void {
    while (this.written < this.data.length) {
      const taken = conn.write(this.data.subarray(this.written, Math.min(this.data.length, this.written + WRITE_CHUNK)));
      if (taken === 0) break;
      this.written += taken;
    }
    if (this.written === this.data.length && !this.closedWrite) {
      conn.closeWrite();
      this.closedWrite = true;
    }
  }

  read(conn: TcpConnection, now: number): void {
    for (let chunk = conn.read(); chunk !== undefined; chunk = conn.read()) {
      if (this.firstMismatch === undefined) {
        const expected = this.data.subarray(this.received, this.received + chunk.length);
        if (expected.length !== chunk.length || !Buffer.from(expected.buffer, expected.byteOffset, expected.length).equals(chunk)) {
          let i = 0;
          while (i < expected.length && expected[i] === chunk[i]) i++;
          this.firstMismatch = this.received + i;
        }
      }
      this.received += chunk.length;
    }
    if (this.received >= this.data.length && Number.isNaN(this.doneAt)) this.doneAt = now;
  }

  /** Called every turn with the sender's TCB: records the longest stretch without progress. */
  observe(now: number, sender: Tcb, receivedBefore: number): void {
    if (Number.isNaN(this.startedAt)) { this.startedAt = now; this.lastProgressAt = now; this.rtoSinceProgress = sender.rto; }
    if (!Number.isNaN(this.doneAt) && this.received === receivedBefore) return;
    this.rtoSinceProgress = Math.max(this.rtoSinceProgress, sender.rto);
    if (this.received > receivedBefore) {
      const gap = now - this.lastProgressAt;
      if (gap > this.longest.gap) {
        this.longest = { gap, endedAt: now, rtoInForce: this.rtoSinceProgress, explained: this.rtoSinceProgress + this.slack };
      }
      this.lastProgressAt = now;
      this.rtoSinceProgress = sender.rto;
    }
  }
}

/** A round trip across the path at its worst (latency, jitter, reordering, a full queue), plus the delayed-ACK timer. */
function pathSlack(forward: LinkModel, back: LinkModel, delayedAck: number): number {
  const oneWay = (m: LinkModel) => m.latency + m.jitter + m.reorderDelay + (m.queueBytes * 8 * 1000) / m.bandwidth;
  return oneWay(forward) + oneWay(back) + delayedAck;
}

/** Counts data segments arriving at `node` for `receiver()` that carry no byte it lacks. */
function watchArrivals(node: SimNode, flow: Flow, receiver: () => Tcb | undefined): void {
  node.device.onReceive = (packet, wireCopy) => {
    if (wireCopy) return;
    const tcb = receiver();
    if (tcb === undefined) return;
    const frame = EthernetFrame.checked(packet.subarray(NET_HEADER));
    if (frame instanceof WireError || frame.etherType !== EtherType.Ipv4) return;
    const ip = Ipv4Packet.checked(frame.payload());
    if (ip instanceof WireError || ip.protocol !== IpProtocol.Tcp) return;
    const tcp = TcpPacket.checked(ip.payload());
    if (tcp instanceof WireError || tcp.dstPort !== tcb.localPort || tcp.srcPort !== tcb.remotePort) return;
    const length = tcp.payload().length;
    if (length === 0) return;
    if (holds(tcb, tcp.seqNumber, length)) flow.unnecessary += 1;
  };
}

/** Does the receiver already hold every byte of [seq, seq + length)? */
function holds(tcb: Tcb, seq: number, length: number): boolean {
  const end = (seq + length) >>> 0;
  if (seqLe(end, tcb.rcvNxt)) return true;
  let cursor = seqDiff(seq, tcb.rcvNxt) < 0 ? tcb.rcvNxt : seq;
  for (const held of tcb.outOfOrder) {
    const heldEnd = (held.seq + held.bytes.length) >>> 0;
    if (seqLe(held.seq, cursor) && seqDiff(heldEnd, cursor) > 0) cursor = heldEnd;
  }
  return seqLe(end, cursor);
}

export function runTransfer(options: TransferOptions): TransferReport {
  const sim = new Simulation(options);
  const { a, b } = sim;
  const [aToB, bToA] = Array.isArray(options.link) ? options.link as readonly [LinkModel, LinkModel] : [options.link as LinkModel, options.link as LinkModel];
  const delayedAck = a.tcp.config.delayedAck;
  const forward = new Flow("A→B", seededBytes(deriveSeed(options.seed, 4), options.bytes), pathSlack(aToB, bToA, delayedAck));
  const backward = options.bidirectional ? new Flow("B→A", seededBytes(deriveSeed(options.seed, 5), options.bytes), pathSlack(bToA, aToB, delayedAck)) : undefined;
  const flows = backward === undefined ? [forward] : [forward, backward];

  const listener = b.tcp.listen({ address: ADDRESS_B, port: PORT }, 4);
  const client = a.tcp.connect({ address: ADDRESS_A, port: 0 }, { address: ADDRESS_B, port: PORT });
  let server: TcpConnection | undefined;
  watchArrivals(b, forward, () => server?.tcb);
  if (backward !== undefined) watchArrivals(a, backward, () => client.tcb);
  const errors: string[] = [];

  const synchronized = (c: TcpConnection) => c.state !== "SYN-SENT" && c.state !== "SYN-RECEIVED" && c.state !== "CLOSED";
  const finished = (c: TcpConnection) => c.state === "CLOSED" || c.state === "TIME-WAIT";
  let closedAt = NaN;
  sim.run((now) => {
    server ??= listener.accept();
    if (server === undefined || !synchronized(client) && !finished(client)) {
      if (client.error !== undefined) { errors.push(`client: ${client.error.message}`); return true; }
      return false;
    }
    const before = flows.map((f) => f.received);
    // The owners: write what fits, read what arrived, close the write side when done.
    forward.read(server, now);
    backward?.read(client, now);
    if (synchronized(client)) forward.write(client);
    if (synchronized(server)) {
      if (backward !== undefined) backward.write(server);
      else if (server.ended) { server.closeWrite(); }
    }
    forward.observe(now, client.tcb, before[0]!);
    backward?.observe(now, server.tcb, before[1]!);
    for (const [name, c] of [["client", client], ["server", server]] as const) {
      if (c.error !== undefined) errors.push(`${name}: ${c.error.name}: ${c.error.message}`);
    }
    if (errors.length > 0) return true;
    if (finished(client) && finished(server) && client.ended && server.ended) { closedAt = now; return true; }
    return false;
  }, { maxVirtualMs: options.maxVirtualMs ?? 600_000 });

  const stackReport = (node: SimNode) => ({
    name: node.name, segments: node.tcp.stats.tx.segments, retransmits: node.tcp.stats.tx.retransmits,
    timeouts: node.tcp.stats.tx.timeouts, recoveries: node.tcp.stats.tx.recoveries, spuriousRecoveries: node.tcp.stats.tx.spuriousRecoveries,
  });
  const wireReport = (name: string, from: 0 | 1) => {
    const s = sim.wire.stats(from);
    return { name, sent: s.sent, lost: s.lost, queueDrops: s.queueDrops, duplicated: s.duplicated, reordered: s.reordered };
  };
  return {
    seed: options.seed,
    directions: flows.map((f) => ({
      name: f.name, received: f.received, firstMismatch: f.firstMismatch, duration: f.doneAt - f.startedAt,
      longestStall: f.longest, unnecessaryRetransmits: f.unnecessary,
    })),
    totalDuration: closedAt,
    turns: sim.turns,
    stacks: [stackReport(a), stackReport(b)],
    wire: [wireReport("A→B", 0), wireReport("B→A", 1)],
    errors,
  };
}

/** One line per direction and stack, for logs and the README's table. */
export function describe(report: TransferReport): string[] {
  const lines = report.directions.map((d) =>
    `${d.name}: ${(d.received / 1e6).toFixed(1)} MB in ${(d.duration / 1000).toFixed(2)} s virtual; longest stall ${d.longestStall.gap.toFixed(0)} ms ` +
    `(RTO in force ${d.longestStall.rtoInForce.toFixed(0)} ms, explained ≤ ${d.longestStall.explained.toFixed(0)} ms); ${d.unnecessaryRetransmits} unnecessary retransmits arrived`);
  for (const s of report.stacks) lines.push(`stack ${s.name}: ${s.segments} segments, ${s.retransmits} retransmits, ${s.timeouts} RTO expiries, ${s.recoveries} fast recoveries (${s.spuriousRecoveries} undone as spurious)`);
  for (const w of report.wire) lines.push(`wire ${w.name}: ${w.sent} frames, ${w.lost} lost, ${w.queueDrops} queue drops, ${w.duplicated} duplicated, ${w.reordered} reordered`);
  lines.push(`closed at ${(report.totalDuration / 1000).toFixed(2)} s virtual, ${report.turns} turns`);
  return lines;
}
