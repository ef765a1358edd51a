/**
 * udp: User Datagram Protocol headers (RFC 768). The checksum covers the IPv4
 * pseudo-header, the header and the data; a transmitted checksum of zero means "none"
 * (RFC 768) and is accepted on receive (RFC 1122 §4.1.3.4); a computed zero is sent as
 * 0xffff. The length field may be shorter than the IP payload (the rest is ignored) but
 * never longer.
 */

import type { ChecksumFn, Ipv4Address } from "../contracts.ts";
import { checkRoom, readU16, writeU16 } from "./bytes.ts";
import { finishChecksum, pseudoHeaderSum } from "./checksum.ts";
import { WireError } from "./error.ts";
import { IpProtocol } from "./ipv4.ts";

/** Byte offsets (RFC 768 names). */
const Field = {
  SRC_PORT: 0, // u16
  DST_PORT: 2, // u16
  LENGTH: 4,   // u16: header and data
  CHECKSUM: 6, // u16
} as const;
export const UDP_HEADER_LEN = 8;

export class UdpPacket {
  private constructor(readonly buffer: Uint8Array) {}

  static checked(buffer: Uint8Array): UdpPacket | WireError {
    if (buffer.length < UDP_HEADER_LEN) return new WireError("udp", `${buffer.length} bytes is shorter than the ${UDP_HEADER_LEN}-byte header`);
    const length = readU16(buffer, Field.LENGTH);
    if (length < UDP_HEADER_LEN) return new WireError("udp", `length ${length} is shorter than the header`);
    if (length > buffer.length) return new WireError("udp", `length ${length} exceeds the ${buffer.length} bytes received`);
    return new UdpPacket(buffer);
  }

  get srcPort(): number {
    return readU16(this.buffer, Field.SRC_PORT);
  }
  get dstPort(): number {
    return readU16(this.buffer, Field.DST_PORT);
  }
  get length(): number {
    return readU16(this.buffer, Field.LENGTH);
  }
  get checksum(): number {
    return readU16(this.buffer, Field.CHECKSUM);
  }
  /** True when the checksum is right, or zero (the sender computed none). */
  verifyChecksum(checksum: ChecksumFn, src: Ipv4Address, dst: Ipv4Address): boolean {
    if (this.checksum === 0) return true;
    const length = this.length;
    return checksum(this.buffer, 0, length, pseudoHeaderSum(src, dst, IpProtocol.Udp, length)) === 0xffff;
  }
  /** The data: from the header to `length`. */
  payload(): Uint8Array {
    return this.buffer.subarray(UDP_HEADER_LEN, this.length);
  }
}

export interface UdpRepr {
  readonly srcPort: number;
  readonly dstPort: number;
}

export const UdpRepr = {
  /** With `checksum` (and the addresses), a wrong non-zero checksum is a WireError. */
  parse(packet: UdpPacket, verify?: { checksum: ChecksumFn; src: Ipv4Address; dst: Ipv4Address }): UdpRepr | WireError {
    if (verify !== undefined && !packet.verifyChecksum(verify.checksum, verify.src, verify.dst)) return new WireError("udp", `checksum 0x${packet.checksum.toString(16)} is wrong`);
    if (packet.dstPort === 0) return new WireError("udp", "destination port is 0");
    return { srcPort: packet.srcPort, dstPort: packet.dstPort };
  },
  bufferLen(payloadLen: number): number {
    return UDP_HEADER_LEN + payloadLen;
  },
  /**
   * Writes header and `payload` at `offset` (payload may already sit at offset + 8: then
   * it is not copied) and the checksum over the pseudo-header of src → dst. `checksum`
   * null sends zero, "no checksum" (RFC 768; tests reproduce such frames with it).
   */
  emit(repr: UdpRepr, buffer: Uint8Array, offset: number, payload: Uint8Array, src: Ipv4Address, dst: Ipv4Address, checksum: ChecksumFn | null): void {
    const length = UDP_HEADER_LEN + payload.length;
    checkRoom(buffer, offset, length, "udp datagram");
    if (length > 0xffff) throw new RangeError(`Cannot emit udp datagram: ${payload.length} bytes of data exceed the 16-bit length`);
    writeU16(buffer, offset + Field.SRC_PORT, repr.srcPort);
    writeU16(buffer, offset + Field.DST_PORT, repr.dstPort);
    writeU16(buffer, offset + Field.LENGTH, length);
    writeU16(buffer, offset + Field.CHECKSUM, 0);
    if (!(payload.buffer === buffer.buffer && payload.byteOffset === buffer.byteOffset + offset + UDP_HEADER_LEN)) buffer.set(payload, offset + UDP_HEADER_LEN);
    if (checksum === null) return;
    const sum = finishChecksum(checksum(buffer, offset, offset + length, pseudoHeaderSum(src, dst, IpProtocol.Udp, length)));
    writeU16(buffer, offset + Field.CHECKSUM, sum === 0 ? 0xffff : sum);
  },
};
