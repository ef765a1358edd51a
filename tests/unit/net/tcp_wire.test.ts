import test from "ava";
import { WireError } from "../../../kernel-ts/net/wire/error.ts";
import { readFileSync } from "node:fs";
import { internetChecksum } from "../../../kernel-ts/hal/checksum.ts";
import { TcpFlags, TcpPacket, TcpRepr, fillChecksum } from "../../../kernel-ts/net/wire/tcp.ts";

// Segments Linux sent, captured with tcpdump (provenance inside the file).
interface Fixture { name: string; src: string; dst: string; hex: string; note: string }
const fixtures: Fixture[] = JSON.parse(readFileSync(new URL("../../fixtures/net/tcp_linux_segments.json", import.meta.url), "utf8")).segments;
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((byte) => parseInt(byte, 16)));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const ipv4 = (dotted: string) => dotted.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
const fixture = (name: string) => {
  const found = fixtures.find((f) => f.name === name)!;
  return { ...found, bytes: fromHex(found.hex), ip: { src: ipv4(found.src), dst: ipv4(found.dst) } };
};
const view = (bytes: Uint8Array) => {
  const packet = TcpPacket.checked(bytes);
  if (packet instanceof WireError) throw new Error(packet.message);
  return packet;
};

for (const { name } of fixtures) {
  test(`Linux ${name}: parses, checksum verifies, re-emits byte-identical`, (t) => {
    const f = fixture(name);
    const packet = view(f.bytes);
    t.true(packet.verifyChecksum(f.ip, internetChecksum), "checksum");
    const again = TcpRepr.emit(TcpRepr.parse(packet), f.ip, internetChecksum);
    t.is(toHex(again), f.hex);
  });
}

test("the SYN's fields and options read as tcpdump printed them", (t) => {
  const packet = view(fixture("syn").bytes);
  t.is(packet.srcPort, 37726);
  t.is(packet.dstPort, 8080);
  t.is(packet.seqNumber, 2559189484);
  t.is(packet.ackNumber, 0);
  t.is(packet.dataOffset, 10);
  t.is(packet.flags, TcpFlags.SYN);
  t.is(packet.windowLen, 64240);
  t.is(packet.checksum, 0x3897);
  t.is(packet.urgentPointer, 0);
  t.deepEqual(packet.options(), { mss: 1460, sackPermitted: true, timestamps: { tsVal: 1314600430, tsEcr: 0 }, windowScale: 10 });
  t.is(packet.payload().length, 0);
});

test("data and RST segments", (t) => {
  const data = view(fixture("data_push").bytes);
  t.is(data.flags, TcpFlags.PSH | TcpFlags.ACK);
  t.is(new TextDecoder().decode(data.payload()), "hello from B\n");
  const rst = view(fixture("rst_ack").bytes);
  t.is(rst.flags, TcpFlags.RST | TcpFlags.ACK);
  t.is(rst.ackNumber, view(fixture("syn_closed_port").bytes).seqNumber + 1);
});

test("SACK blocks from Linux, newest block first", (t) => {
  t.deepEqual(view(fixture("sack_one_block").bytes).options().sackBlocks, [{ left: 1101, right: 1201 }]);
  t.deepEqual(view(fixture("sack_two_blocks").bytes).options().sackBlocks, [{ left: 1301, right: 1401 }, { left: 1101, right: 1201 }]);
});

test("a flipped bit fails the checksum", (t) => {
  const f = fixture("data_push");
  f.bytes[f.bytes.length - 1]! ^= 1;
  t.false(view(f.bytes).verifyChecksum(f.ip, internetChecksum));
});

test("bad lengths are values, not exceptions", (t) => {
  const syn = fixture("syn").bytes;
  const cases: Array<[string, Uint8Array]> = [
    ["shorter than a header", syn.subarray(0, 19)],
    ["data offset below 5", Uint8Array.from(syn, (b, i) => (i === 12 ? 0x40 : b))],
    ["header past the end", syn.subarray(0, 36)],
    ["option length 0", Uint8Array.from(syn, (b, i) => (i === 21 ? 0 : b))],
    ["option length 1", Uint8Array.from(syn, (b, i) => (i === 21 ? 1 : b))],
    ["option past the header", Uint8Array.from(syn, (b, i) => (i === 38 ? 9 : b))],
  ];
  for (const [what, bytes] of cases) t.true(TcpPacket.checked(bytes) instanceof WireError, what);
  // A length byte missing at the very end of the options.
  const lone = Uint8Array.from([...syn.subarray(0, 20), 1, 1, 1, 2]);
  lone[12] = 0x60;
  t.true(TcpPacket.checked(lone) instanceof WireError, "length byte missing");
});

test("unknown options are skipped by their length, END stops the walk", (t) => {
  const repr = { srcPort: 1, dstPort: 2, seqNumber: 3, ackNumber: 4, flags: TcpFlags.ACK, windowLen: 5, options: {}, payload: new Uint8Array() };
  const header = TcpRepr.emit(repr);
  const withOptions = new Uint8Array(32);
  withOptions.set(header);
  withOptions[12] = 0x80;
  withOptions.set([0xfd, 4, 0xaa, 0xbb, 2, 4, 0x05, 0xb4, 0, 0xff, 0xff, 0xff], 20);
  t.deepEqual(view(withOptions).options(), { mss: 1460 });
});

test("emit then parse round-trips every option, and fillChecksum agrees with verify", (t) => {
  const ip = { src: 0x0a000001, dst: 0x0a000002 };
  const repr = {
    srcPort: 40000, dstPort: 80, seqNumber: 0xfffffff0, ackNumber: 7, flags: TcpFlags.ACK | TcpFlags.PSH, windowLen: 1000,
    urgentPointer: 0,
    options: { timestamps: { tsVal: 1, tsEcr: 2 }, sackBlocks: [{ left: 10, right: 20 }, { left: 30, right: 40 }, { left: 50, right: 60 }] },
    payload: Uint8Array.of(1, 2, 3),
  };
  const bytes = TcpRepr.emit(repr, ip, internetChecksum);
  t.is(bytes.length, 20 + 12 + 28 + 3);
  t.deepEqual(TcpRepr.parse(view(bytes)), repr);
  t.true(view(bytes).verifyChecksum(ip, internetChecksum));
  bytes[16] = 0; bytes[17] = 0;
  fillChecksum(bytes, ip, internetChecksum);
  t.true(view(bytes).verifyChecksum(ip, internetChecksum));
});

test("emitInto writes at an offset what emit makes, and refuses an offset outside the buffer or not an integer", (t) => {
  const repr = { srcPort: 5001, dstPort: 40000, seqNumber: 0xfffffff0, ackNumber: 7, flags: TcpFlags.ACK | TcpFlags.PSH, windowLen: 512, options: { timestamps: { tsVal: 1, tsEcr: 2 } }, payload: new Uint8Array([1, 2, 3]) };
  const whole = TcpRepr.emit(repr);
  const headerLen = TcpRepr.headerLen(repr);
  const out = new Uint8Array(10 + whole.length).fill(0xee);
  TcpRepr.emitInto(repr, headerLen, out, 10);
  t.is(toHex(out.subarray(10)), toHex(whole));
  t.deepEqual([...out.subarray(0, 10)], new Array(10).fill(0xee), "nothing before the offset");
  for (const at of [-1, 11, 2.5, Number.NaN, 2 ** 32]) {
    t.throws(() => TcpRepr.emitInto(repr, headerLen, out, at), { instanceOf: RangeError }, `at ${at}`);
  }
});
