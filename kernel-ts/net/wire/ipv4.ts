/**
 * ipv4: the Internet Protocol header (RFC 791 §3.1). `Ipv4Packet.checked` validates the
 * structure — version 4, IHL at least 5 and within the buffer, total length covering the
 * header and within the buffer (bytes beyond it are link padding, ignored) — after which
 * no accessor reads outside the buffer. The header checksum is a separate check
 * (`verifyChecksum`), so a caller can count it as its own reason. Options are skipped:
 * `options()` is a view of them and `payload()` starts after them.
 */

import type { ChecksumFn, Ipv4Address } from "../contracts.ts";
import { checkRoom, readU16, readU32, writeU16, writeU32 } from "./bytes.ts";
import { finishChecksum } from "./checksum.ts";
import { WireError } from "./error.ts";

/** Byte offsets (RFC 791 §3.1 names). An enum: the bundler writes the values in place. */
const enum Field {
  VER_IHL = 0,   // u8: version (high 4 bits), IHL in 32-bit words (low 4)
  DSCP_ECN = 1,  // u8: type of service, now DSCP (6 bits) and ECN (2 bits)
  LENGTH = 2,    // u16: total length, header and data
  IDENT = 4,     // u16: identification
  FLG_OFF = 6,   // u16: flags (reserved, DF, MF) and fragment offset in 8-byte units
  TTL = 8,       // u8
  PROTOCOL = 9,  // u8
  CHECKSUM = 10, // u16: header checksum
  SRC_ADDR = 12, // u32
  DST_ADDR = 16, // u32
}
export const IPV4_HEADER_LEN = 20;
export const IPV4_MAX_LEN = 0xffff;
export const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
const OFFSET_MASK = 0x1fff;

export enum IpProtocol { Icmp = 1, Tcp = 6, Udp = 17 }

export class Ipv4Packet {
  private constructor(readonly buffer: Uint8Array) {}

  static checked(buffer: Uint8Array): Ipv4Packet | WireError {
    return checkIpv4(buffer, 0) ?? new Ipv4Packet(buffer);
  }

  get version(): number {
    return this.buffer[Field.VER_IHL]! >>> 4;
  }
  /** Header length in bytes (IHL × 4), options included. */
  get headerLen(): number {
    return ipv4HeaderLen(this.buffer, 0);
  }
  get dscp(): number {
    return this.buffer[Field.DSCP_ECN]! >>> 2;
  }
  get ecn(): number {
    return this.buffer[Field.DSCP_ECN]! & 3;
  }
  get totalLen(): number {
    return ipv4TotalLen(this.buffer, 0);
  }
  get ident(): number {
    return readU16(this.buffer, Field.IDENT);
  }
  get dontFrag(): boolean {
    return (readU16(this.buffer, Field.FLG_OFF) & FLAG_DF) !== 0;
  }
  get moreFrags(): boolean {
    return (readU16(this.buffer, Field.FLG_OFF) & FLAG_MF) !== 0;
  }
  /** Fragment offset in bytes (the field counts 8-byte units). */
  get fragOffset(): number {
    return (readU16(this.buffer, Field.FLG_OFF) & OFFSET_MASK) * 8;
  }
  get ttl(): number {
    return this.buffer[Field.TTL]!;
  }
  get protocol(): number {
    return ipv4Protocol(this.buffer, 0);
  }
  get headerChecksum(): number {
    return readU16(this.buffer, Field.CHECKSUM);
  }
  get srcAddr(): Ipv4Address {
    return ipv4SrcAddr(this.buffer, 0);
  }
  get dstAddr(): Ipv4Address {
    return ipv4DstAddr(this.buffer, 0);
  }
  /** A fragment: MF set or a non-zero offset. */
  get isFragment(): boolean {
    return ipv4IsFragment(this.buffer, 0);
  }
  /** True when the header (options included) sums to 0xffff (RFC 791, RFC 1071). */
  verifyChecksum(checksum: ChecksumFn): boolean {
    return checksum(this.buffer, 0, this.headerLen, 0) === 0xffff;
  }
  /** The header itself, options included: a view. */
  header(): Uint8Array {
    return this.buffer.subarray(0, this.headerLen);
  }
  options(): Uint8Array {
    return this.buffer.subarray(IPV4_HEADER_LEN, this.headerLen);
  }
  /** The data: from the end of the header to the total length (padding excluded). */
  payload(): Uint8Array {
    return this.buffer.subarray(this.headerLen, this.totalLen);
  }
}

/**
 * Why the bytes from `at` to the end of `buffer` cannot be an IPv4 packet, or undefined:
 * Ipv4Packet.checked's checks, for a caller that reads the packet in place (the receive
 * path reads a frame's IP header at its offset, without a view per layer).
 */
export function checkIpv4(buffer: Uint8Array, at: number): WireError | undefined {
  const length = buffer.length - at;
  if (length < IPV4_HEADER_LEN) return new WireError("ipv4", `${length} bytes is shorter than the ${IPV4_HEADER_LEN}-byte header`);
  const version = buffer[at + Field.VER_IHL]! >>> 4;
  if (version !== 4) return new WireError("ipv4", `version is ${version}, not 4`);
  const headerLen = (buffer[at + Field.VER_IHL]! & 0xf) * 4;
  if (headerLen < IPV4_HEADER_LEN) return new WireError("ipv4", `header length ${headerLen} is below ${IPV4_HEADER_LEN}`);
  if (headerLen > length) return new WireError("ipv4", `header length ${headerLen} exceeds the ${length} bytes received`);
  const totalLen = readU16(buffer, at + Field.LENGTH);
  if (totalLen < headerLen) return new WireError("ipv4", `total length ${totalLen} is shorter than the ${headerLen}-byte header`);
  if (totalLen > length) return new WireError("ipv4", `total length ${totalLen} exceeds the ${length} bytes received`);
  return undefined;
}

/**
 * In a checked packet at `at`: its header length, total length, addresses, protocol, and
 * whether it is a fragment. The first five are written out in the kernel bundle
 * (host/build/inline.ts): keep them single return expressions of their parameters.
 */
export function ipv4HeaderLen(buffer: Uint8Array, at: number): number {
  return (buffer[at + Field.VER_IHL]! & 0xf) * 4;
}
export function ipv4TotalLen(buffer: Uint8Array, at: number): number {
  return readU16(buffer, at + Field.LENGTH);
}
export function ipv4SrcAddr(buffer: Uint8Array, at: number): Ipv4Address {
  return readU32(buffer, at + Field.SRC_ADDR);
}
export function ipv4DstAddr(buffer: Uint8Array, at: number): Ipv4Address {
  return readU32(buffer, at + Field.DST_ADDR);
}
export function ipv4Protocol(buffer: Uint8Array, at: number): number {
  return buffer[at + Field.PROTOCOL]!;
}
export function ipv4IsFragment(buffer: Uint8Array, at: number): boolean {
  return (readU16(buffer, at + Field.FLG_OFF) & (FLAG_MF | OFFSET_MASK)) !== 0;
}

/** An IPv4 header without options. */
export interface Ipv4Repr {
  readonly srcAddr: Ipv4Address;
  readonly dstAddr: Ipv4Address;
  readonly protocol: number;
  /** Bytes of data after the header. */
  readonly payloadLen: number;
  readonly ttl: number;
  readonly ident: number;
  readonly dontFrag: boolean;
  readonly moreFrags: boolean;
  /** In bytes, a multiple of 8. */
  readonly fragOffset: number;
  /** The DSCP and ECN byte (formerly type of service). */
  readonly dscpEcn: number;
}

export const Ipv4Repr = {
  /**
   * The header's fields. With `checksum`, a header whose checksum is wrong is a WireError;
   * options are dropped (Repr has none), the data length is total length − IHL×4.
   */
  parse(packet: Ipv4Packet, checksum?: ChecksumFn): Ipv4Repr | WireError {
    if (checksum !== undefined && !packet.verifyChecksum(checksum)) return new WireError("ipv4", `header checksum 0x${packet.headerChecksum.toString(16)} is wrong`);
    return {
      srcAddr: packet.srcAddr,
      dstAddr: packet.dstAddr,
      protocol: packet.protocol,
      payloadLen: packet.totalLen - packet.headerLen,
      ttl: packet.ttl,
      ident: packet.ident,
      dontFrag: packet.dontFrag,
      moreFrags: packet.moreFrags,
      fragOffset: packet.fragOffset,
      dscpEcn: packet.buffer[Field.DSCP_ECN]!,
    };
  },
  bufferLen(): number {
    return IPV4_HEADER_LEN;
  },
  /** Writes the 20-byte header at `offset`, checksum included; the data follows it. */
  emit(repr: Ipv4Repr, buffer: Uint8Array, offset: number, checksum: ChecksumFn): void {
    const flagsOffset = (repr.dontFrag ? FLAG_DF : 0) | (repr.moreFrags ? FLAG_MF : 0) | ((repr.fragOffset >>> 3) & OFFSET_MASK);
    writeIpv4Header(buffer, offset, repr.srcAddr, repr.dstAddr, repr.protocol, repr.payloadLen, repr.ident, repr.ttl, flagsOffset, repr.dscpEcn, checksum);
  },
};

/**
 * Ipv4Repr.emit without the record, for the per-segment path (no object per packet):
 * `flagsOffset` is the 16-bit flags-and-fragment-offset field as sent (FLAG_DF for TCP).
 */
export function writeIpv4Header(buffer: Uint8Array, offset: number, srcAddr: number, dstAddr: number, protocol: number, payloadLen: number,
  ident: number, ttl: number, flagsOffset: number, dscpEcn: number, checksum: ChecksumFn): void {
  checkRoom(buffer, offset, IPV4_HEADER_LEN, "ipv4 header");
  if (payloadLen + IPV4_HEADER_LEN > IPV4_MAX_LEN) throw new RangeError(`Cannot emit ipv4 header: ${payloadLen} bytes of data exceed the 16-bit total length`);
  buffer[offset + Field.VER_IHL] = 0x45;
  buffer[offset + Field.DSCP_ECN] = dscpEcn;
  writeU16(buffer, offset + Field.LENGTH, IPV4_HEADER_LEN + payloadLen);
  writeU16(buffer, offset + Field.IDENT, ident);
  writeU16(buffer, offset + Field.FLG_OFF, flagsOffset);
  buffer[offset + Field.TTL] = ttl;
  buffer[offset + Field.PROTOCOL] = protocol;
  writeU16(buffer, offset + Field.CHECKSUM, 0);
  writeU32(buffer, offset + Field.SRC_ADDR, srcAddr);
  writeU32(buffer, offset + Field.DST_ADDR, dstAddr);
  writeU16(buffer, offset + Field.CHECKSUM, finishChecksum(checksum(buffer, offset, offset + IPV4_HEADER_LEN, 0)));
}
