/**
 * The gVisor-checker-style harness: one TcpStack under test, the test playing the peer.
 * send() hands the stack a segment built from fields; expect() takes the next segment the
 * stack emits and checks it with small checkers; expectNone() proves silence. The clock
 * is the test's (`advance`). Sequence numbers in tests are written relative to the
 * stack's ISS (`iss + n`) and the peer's (PEER_ISS + n).
 */

import type { ExecutionContext } from "ava";
import { WireError } from "../../../../kernel-ts/net/wire/error.ts";
import { internetChecksum } from "../../../../kernel-ts/hal/checksum.ts";
import type { Ipv4Endpoints } from "../../../../kernel-ts/net/contracts.ts";
import { TcpStack, type TcpStackOptions } from "../../../../kernel-ts/net/tcp/mod.ts";
import { TcpFlags, TcpPacket, TcpRepr, type TcpOptions } from "../../../../kernel-ts/net/wire/tcp.ts";

export const LOCAL = 0x0a000001;
export const REMOTE = 0x0a000002;
export const LOCAL_PORT = 8080;
export const REMOTE_PORT = 40000;
export const PEER_ISS = 1_000_000;
export const { FIN, SYN, RST, PSH, ACK } = TcpFlags;

/** A seeded xorshift32 as RandomFill: tests repeat exactly. */
export function seededRandom(seed: number): (bytes: Uint8Array) => void {
  let state = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13; state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5; state >>>= 0;
      bytes[i] = state & 0xff;
    }
  };
}

export interface SegmentFields {
  seq: number;
  ack?: number;
  flags: number;
  window?: number;
  options?: TcpOptions;
  payload?: Uint8Array | number;
  srcPort?: number;
  dstPort?: number;
}

export type Check = (t: ExecutionContext, repr: TcpRepr) => void;

const flagNames = (flags: number) => Object.entries(TcpFlags).filter(([, bit]) => typeof bit === "number" && (flags & bit) !== 0).map(([name]) => name).join("|") || "none";

export const flags = (expected: number): Check => (t, r) => t.is(flagNames(r.flags), flagNames(expected), "flags");
export const seq = (expected: number): Check => (t, r) => t.is(r.seqNumber, expected >>> 0, "seqNumber");
export const ack = (expected: number): Check => (t, r) => t.is(r.ackNumber, expected >>> 0, "ackNumber");
export const window = (expected: number): Check => (t, r) => t.is(r.windowLen, expected, "windowLen");
export const payloadLength = (expected: number): Check => (t, r) => t.is(r.payload.length, expected, "payload length");
export const payload = (expected: Uint8Array): Check => (t, r) => t.deepEqual([...r.payload], [...expected], "payload");
export const sackBlocks = (expected: Array<[number, number]>): Check => (t, r) =>
  t.deepEqual((r.options.sackBlocks ?? []).map((b) => [b.left, b.right]), expected.map(([l, rr]) => [l >>> 0, rr >>> 0]), "SACK blocks");
export const option = <K extends keyof TcpOptions>(key: K, expected: TcpOptions[K]): Check => (t, r) => t.deepEqual(r.options[key], expected, `option ${key}`);

export const bytes = (length: number, seed = 7) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

export class Harness {
  now = 0;
  readonly stack: TcpStack;
  readonly outbox: Array<{ ip: Ipv4Endpoints; repr: TcpRepr; segmentSize: number }> = [];
  /** The segmentSize output() gave with the segment expect() last returned (TSO: the device cuts at it). */
  lastSegmentSize = 0;

  constructor(readonly t: ExecutionContext, options: Partial<TcpStackOptions> = {}) {
    this.stack = new TcpStack({
      checksum: internetChecksum,
      randomFill: seededRandom(42),
      timestamps: false,
      windowScaling: false,
      sack: false,
      ...options,
    });
  }

  advance(ms: number): void { this.now += ms; }

  send(fields: SegmentFields): void {
    const payloadBytes = typeof fields.payload === "number" ? bytes(fields.payload) : fields.payload ?? new Uint8Array(0);
    const repr: TcpRepr = {
      srcPort: fields.srcPort ?? REMOTE_PORT, dstPort: fields.dstPort ?? LOCAL_PORT,
      seqNumber: fields.seq >>> 0, ackNumber: (fields.ack ?? 0) >>> 0, flags: fields.flags,
      windowLen: fields.window ?? 65535, options: fields.options ?? {}, payload: payloadBytes,
    };
    const ip = { src: REMOTE, dst: LOCAL };
    this.stack.input(this.now, ip, TcpRepr.emit(repr, ip, internetChecksum), false);
  }

  /** Collects what the stack emits now, through the wire format (emit, then a checked parse). */
  flush(): void {
    this.stack.output(this.now, (ip, repr, segmentSize) => {
      const packet = TcpPacket.checked(TcpRepr.emit(repr, ip, internetChecksum));
      if (packet instanceof WireError) throw new Error(packet.message);
      this.outbox.push({ ip, repr: TcpRepr.parse(packet), segmentSize });
      return true;
    });
  }

  /** The next segment, checked; a string among the checks names the step in failures. */
  expect(...checks: Array<Check | string>): TcpRepr {
    this.flush();
    const next = this.outbox.shift();
    if (next === undefined) {
      this.t.fail(`expected a segment, none was sent${checks.filter((c) => typeof c === "string").map((c) => `: ${c}`).join("")}`);
      throw new Error("no segment");
    }
    for (const check of checks) if (typeof check !== "string") check(this.t, next.repr);
    this.lastSegmentSize = next.segmentSize;
    return next.repr;
  }

  expectNone(what = "no segment"): void {
    this.flush();
    this.t.is(this.outbox.length, 0, `${what}: got ${this.outbox.map((o) => flagNames(o.repr.flags) + " seq " + o.repr.seqNumber).join(", ")}`);
    this.outbox.length = 0;
  }

  /** Runs the clock to the stack's next deadline (at most `limit` ms ahead). */
  runToNextTimer(limit = 1e9): void {
    this.flush(); // what is due now goes first (kept in the outbox for expect)
    const at = this.stack.pollAt(this.now);
    this.t.true(at <= this.now + limit, `a timer within ${limit} ms`);
    this.now = Math.max(this.now, at);
  }

  /** Active open with a peer offering `options`; returns the connection and our ISS. */
  connect(options: TcpOptions = {}, window = 65535) {
    const conn = this.stack.connect({ address: LOCAL, port: LOCAL_PORT }, { address: REMOTE, port: REMOTE_PORT });
    const syn = this.expect(flags(SYN));
    const iss = syn.seqNumber;
    this.send({ seq: PEER_ISS, ack: iss + 1, flags: SYN | ACK, window, options: { mss: 1460, ...options } });
    this.expect(flags(ACK), seq(iss + 1), ack(PEER_ISS + 1));
    this.t.is(conn.state, "ESTABLISHED");
    return { conn, iss };
  }

  /** Passive open: listen, SYN in, SYN-ACK out, ACK in, accept. */
  accept(options: TcpOptions = {}, window = 65535, backlog = 8) {
    const listener = this.stack.listen({ address: LOCAL, port: LOCAL_PORT }, backlog);
    this.send({ seq: PEER_ISS, flags: SYN, window, options: { mss: 1460, ...options } });
    const synAck = this.expect(flags(SYN | ACK), ack(PEER_ISS + 1));
    const iss = synAck.seqNumber;
    this.send({ seq: PEER_ISS + 1, ack: iss + 1, flags: ACK, window });
    const conn = listener.accept();
    if (conn === undefined) throw new Error("accept() gave nothing after the handshake");
    this.t.is(conn.state, "ESTABLISHED");
    return { conn, iss, listener, synAck };
  }
}
