/** The virtio-net header (virtio 1.2 §5.1.6): byte layout, round trip, frame views. */
import test from "ava";
import { emitNetHeader, frameOf, NET_HEADER_BYTES, NetGsoType, NetHeaderFlag, parseNetHeader, withNetHeader, type NetHeader } from "../../kernel-ts/dev/mod.ts";

// A TSO frame's header as a device would expect it: NEEDS_CSUM, TCPv4, 54 header bytes,
// MSS 1448, checksum from byte 34 (IP payload) at offset 16 (TCP checksum), 1 buffer.
const TSO_HEADER: NetHeader = { flags: NetHeaderFlag.NeedsCsum, gsoType: NetGsoType.TcpV4, hdrLen: 54, gsoSize: 1448, csumStart: 34, csumOffset: 16, numBuffers: 1 };
const TSO_BYTES = [0x01, 0x01, 0x36, 0x00, 0xa8, 0x05, 0x22, 0x00, 0x10, 0x00, 0x01, 0x00];

test("emit writes the fields little-endian at the spec's offsets", (t) => {
  const packet = new Uint8Array(NET_HEADER_BYTES + 4);
  emitNetHeader(TSO_HEADER, packet);
  t.deepEqual([...packet.subarray(0, NET_HEADER_BYTES)], TSO_BYTES);
  t.deepEqual([...packet.subarray(NET_HEADER_BYTES)], [0, 0, 0, 0]);
});

test("parse reads back what emit wrote, also from a view with a byteOffset", (t) => {
  const backing = new Uint8Array(3 + NET_HEADER_BYTES);
  backing.set(TSO_BYTES, 3);
  t.deepEqual(parseNetHeader(backing.subarray(3)), TSO_HEADER);
});

test("withNetHeader puts a zero header in front of a copy; frameOf is a view", (t) => {
  const frame = new Uint8Array([1, 2, 3]);
  const packet = withNetHeader(frame);
  t.deepEqual([...packet], [...new Uint8Array(NET_HEADER_BYTES), 1, 2, 3]);
  frame[0] = 9;
  t.is(packet[NET_HEADER_BYTES], 1);
  const view = frameOf(packet);
  view[0] = 7;
  t.is(packet[NET_HEADER_BYTES], 7);
});

test("a packet shorter than the header is a RangeError", (t) => {
  t.throws(() => parseNetHeader(new Uint8Array(11)), { instanceOf: RangeError, message: /11 bytes is shorter than 12/ });
  t.throws(() => emitNetHeader(TSO_HEADER, new Uint8Array(0)), { instanceOf: RangeError });
});
