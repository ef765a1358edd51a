/**
 * net_header: the virtio-net header in front of every frame the HAL passes (struct
 * virtio_net_hdr_v1, virtio 1.2 §5.1.6), as a plain record with parse/emit over a
 * DataView. Field names are the spec's, in camelCase; multi-byte fields are little-endian
 * (virtio 1.x is little-endian throughout, §1.4).
 */

import { NET_HEADER_BYTES, NetHeaderField as Field } from "../hal/devices.ts";

export { NET_HEADER_BYTES, NetGsoType, NetHeaderField, NetHeaderFlag } from "../hal/devices.ts";

export interface NetHeader {
  readonly flags: number;
  readonly gsoType: number;
  readonly hdrLen: number;
  readonly gsoSize: number;
  readonly csumStart: number;
  readonly csumOffset: number;
  readonly numBuffers: number;
}

/** No offloads: what a sender that asks nothing of the device writes. */
export const EMPTY_NET_HEADER: NetHeader = { flags: 0, gsoType: 0, hdrLen: 0, gsoSize: 0, csumStart: 0, csumOffset: 0, numBuffers: 0 };

function view(packet: Uint8Array, what: string): DataView {
  if (!(packet instanceof Uint8Array)) throw new TypeError(`Cannot ${what} net header: packet is not a Uint8Array`);
  if (packet.length < NET_HEADER_BYTES) throw new RangeError(`Cannot ${what} net header: ${packet.length} bytes is shorter than ${NET_HEADER_BYTES}`);
  return new DataView(packet.buffer, packet.byteOffset, NET_HEADER_BYTES);
}

/** Reads the header at the start of `packet` (as netRead returns it). */
export function parseNetHeader(packet: Uint8Array): NetHeader {
  const data = view(packet, "parse");
  return {
    flags: data.getUint8(Field.flags),
    gsoType: data.getUint8(Field.gsoType),
    hdrLen: data.getUint16(Field.hdrLen, true),
    gsoSize: data.getUint16(Field.gsoSize, true),
    csumStart: data.getUint16(Field.csumStart, true),
    csumOffset: data.getUint16(Field.csumOffset, true),
    numBuffers: data.getUint16(Field.numBuffers, true),
  };
}

/** Writes `header` at the start of `packet`. */
export function emitNetHeader(header: NetHeader, packet: Uint8Array): void {
  const data = view(packet, "emit");
  data.setUint8(Field.flags, header.flags);
  data.setUint8(Field.gsoType, header.gsoType);
  data.setUint16(Field.hdrLen, header.hdrLen, true);
  data.setUint16(Field.gsoSize, header.gsoSize, true);
  data.setUint16(Field.csumStart, header.csumStart, true);
  data.setUint16(Field.csumOffset, header.csumOffset, true);
  data.setUint16(Field.numBuffers, header.numBuffers, true);
}

/** The Ethernet frame behind the header: a view, not a copy. */
export function frameOf(packet: Uint8Array): Uint8Array {
  view(packet, "skip");
  return packet.subarray(NET_HEADER_BYTES);
}

/** A new packet: `header` (default: no offloads) then a copy of `frame`, ready for send(). */
export function withNetHeader(frame: Uint8Array, header: NetHeader = EMPTY_NET_HEADER): Uint8Array {
  const packet = new Uint8Array(NET_HEADER_BYTES + frame.length);
  emitNetHeader(header, packet);
  packet.set(frame, NET_HEADER_BYTES);
  return packet;
}
