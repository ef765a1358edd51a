/**
 * wire/tcp: the TCP header (RFC 9293 §3.1) as a view over bytes, its options (RFC 9293
 * §3.2, RFC 7323 window scale and timestamps, RFC 2018 SACK), and a plain TcpRepr with
 * parse/emit.
 *
 * Contract (smoltcp's): TcpPacket.checked(buf) either returns a view or a WireError
 * value; after it succeeds no accessor throws and every accessor stays inside the buffer.
 * Options are checked by one loop (checkOptions) that rejects a length running past the
 * header or shorter than 2; an unknown kind is skipped by its length; options() then walks
 * the proven layout. Bad input is never
 * thrown; TcpRepr.parse takes a checked packet, so it cannot fail.
 *
 * The checksum covers the IPv4 pseudo-header (RFC 9293 §3.1: source, destination, zero,
 * protocol 6, TCP length), summed by wire/checksum.ts; the segment's sum goes through the
 * caller's ChecksumFn, so the native C loop does the work. Errors are wire/'s WireError.
 */

import type { ChecksumFn, Ipv4Endpoints } from "../contracts.ts";
import { checkRoom, readU16, readU32, writeU16, writeU32 } from "./bytes.ts";
import { pseudoHeaderSum } from "./checksum.ts";
import { WireError } from "./error.ts";

/**
 * Where the fixed header's fields start (RFC 9293 §3.1: ports and the window are 2 bytes,
 * sequence numbers 4, data offset and flags share 2) and where the options start. An enum:
 * the bundler writes the values in place, where an object's would be a lookup per segment.
 */
export enum TcpAt { SrcPort = 0, DstPort = 2, SeqNumber = 4, AckNumber = 8, DataOffsetFlags = 12, WindowLen = 14, Checksum = 16, UrgentPointer = 18, Options = 20 }

export const TCP_HEADER_LEN = 20;
export const TCP_MAX_HEADER_LEN = 60;
export const IP_PROTOCOL_TCP = 6;

/** Control bits (RFC 9293 §3.1; CWR/ECE from RFC 3168). An enum: the bundler writes the values in place. */
export enum TcpFlags {
  FIN = 0x001,
  SYN = 0x002,
  RST = 0x004,
  PSH = 0x008,
  ACK = 0x010,
  URG = 0x020,
  ECE = 0x040,
  CWR = 0x080,
}

const OPT_END = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;
const OPT_WINDOW_SCALE = 3;
const OPT_SACK_PERMITTED = 4;
const OPT_SACK = 5;
const OPT_TIMESTAMPS = 8;

export interface SackBlock {
  /** First sequence number of the block. */
  readonly left: number;
  /** Sequence number after the block's last byte. */
  readonly right: number;
}

export interface TcpTimestamps {
  readonly tsVal: number;
  readonly tsEcr: number;
}

/** Options in the order RFC 9293 and Linux emit them; absent ones are undefined/false. */
export interface TcpOptions {
  readonly mss?: number | undefined;
  readonly windowScale?: number | undefined;
  readonly sackPermitted?: boolean | undefined;
  readonly sackBlocks?: readonly SackBlock[] | undefined;
  readonly timestamps?: TcpTimestamps | undefined;
}

export class TcpPacket {
  private constructor(readonly buffer: Uint8Array) {}

  /** A view of `buffer` (header + payload), or why it cannot be one. */
  static checked(buffer: Uint8Array): TcpPacket | WireError {
    return checkHeader(buffer) ?? new TcpPacket(buffer);
  }

  // Byte reads, no DataView: these run for every segment (a view per packet costs as much
  // as the rest of the header together under an interpreter).
  get srcPort(): number { return readU16(this.buffer, TcpAt.SrcPort); }
  get dstPort(): number { return readU16(this.buffer, TcpAt.DstPort); }
  get seqNumber(): number { return readU32(this.buffer, TcpAt.SeqNumber); }
  get ackNumber(): number { return readU32(this.buffer, TcpAt.AckNumber); }
  /** Header length in 32-bit words. */
  get dataOffset(): number { return this.buffer[TcpAt.DataOffsetFlags]! >> 4; }
  get headerLen(): number { return this.dataOffset * 4; }
  /** The control bits (TcpFlags), the low 8 bits of bytes 12–13 (the NS bit is ignored). */
  get flags(): number { return this.buffer[TcpAt.DataOffsetFlags + 1]!; }
  get windowLen(): number { return readU16(this.buffer, TcpAt.WindowLen); }
  get checksum(): number { return readU16(this.buffer, TcpAt.Checksum); }
  get urgentPointer(): number { return readU16(this.buffer, TcpAt.UrgentPointer); }
  /** The raw option bytes (a subarray). */
  optionBytes(): Uint8Array { return this.buffer.subarray(TcpAt.Options, this.headerLen); }
  /** The payload (a subarray, never a copy). */
  payload(): Uint8Array { return this.buffer.subarray(this.headerLen); }

  /** Options parsed; checked() already proved the walk succeeds. */
  options(): TcpOptions {
    return readOptions(this.buffer, this.headerLen);
  }

  /** True if the checksum over pseudo-header + segment is right. */
  verifyChecksum(ip: Ipv4Endpoints, checksum: ChecksumFn): boolean {
    return verifyTcpChecksum(this.buffer, ip, checksum);
  }
}

/** A segment without options: one shared, frozen record. */
const NO_OPTIONS: TcpOptions = Object.freeze({});

/** True if the checksum over pseudo-header + `segment` (header and payload) is right. */
export function verifyTcpChecksum(segment: Uint8Array, ip: Ipv4Endpoints, checksum: ChecksumFn): boolean {
  return checksum(segment, 0, segment.length, tcpPseudoHeaderSum(ip, segment.length)) === 0xffff;
}

/** The options in `bytes[20, end)`, whose walk checkOptions has proved. */
function readOptions(bytes: Uint8Array, end: number): TcpOptions {
  if (end === TCP_HEADER_LEN) return NO_OPTIONS;
  // What almost every segment of a connection that negotiated timestamps carries (RFC 7323
  // Appendix A's layout, Linux's and ours): NOP, NOP, then the option.
  // At TcpAt.Options (20), as literals (see readTcpSegment).
  if (end === 32 && bytes[20] === OPT_NOP && bytes[21] === OPT_NOP && bytes[22] === OPT_TIMESTAMPS && bytes[23] === 10) {
    return { timestamps: { tsVal: readU32(bytes, 24), tsEcr: readU32(bytes, 28) } };
  }
  const out: { mss?: number; windowScale?: number; sackPermitted?: boolean; sackBlocks?: SackBlock[]; timestamps?: TcpTimestamps } = {};
  for (let at = TcpAt.Options; at < end;) {
    const kind = bytes[at]!;
    if (kind === OPT_END) break;
    if (kind === OPT_NOP) { at += 1; continue; }
    const length = bytes[at + 1]!;
    const body = at + 2;
    const bodyLength = length - 2;
    if (kind === OPT_MSS && bodyLength === 2) out.mss = readU16(bytes, body);
    else if (kind === OPT_WINDOW_SCALE && bodyLength === 1) out.windowScale = bytes[body]!;
    else if (kind === OPT_SACK_PERMITTED && bodyLength === 0) out.sackPermitted = true;
    else if (kind === OPT_TIMESTAMPS && bodyLength === 8) out.timestamps = { tsVal: readU32(bytes, body), tsEcr: readU32(bytes, body + 4) };
    else if (kind === OPT_SACK && bodyLength % 8 === 0 && bodyLength > 0) {
      const blocks: SackBlock[] = [];
      for (let block = body; block < at + length; block += 8) blocks.push({ left: readU32(bytes, block), right: readU32(bytes, block + 4) });
      out.sackBlocks = blocks;
    }
    // A known kind with a wrong length is ignored like an unknown one (RFC 9293 §3.2:
    // a receiver must be prepared for options it does not understand).
    at += length;
  }
  return out;
}

/** A received segment's fields, as TcpStack's input reads them. */
export interface TcpSegmentFields {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  /** The window field as received (unscaled). */
  readonly windowLen: number;
  readonly options: TcpOptions;
  /** A view into the segment. */
  readonly payload: Uint8Array;
}

/**
 * TcpPacket.checked and its accessors in one pass, for the receive path: the same checks and
 * errors, the fields read straight from the bytes (no view object, no getter per field).
 */
export function readTcpSegment(buffer: Uint8Array): TcpSegmentFields | WireError {
  const error = checkHeader(buffer);
  if (error !== undefined) return error;
  const headerLen = (buffer[12]! >> 4) * 4;
  // readU16/readU32 written out, at TcpAt's offsets as literals: a call per field, or an
  // addition per byte index, is what this path avoids (QuickJS folds neither).
  return {
    srcPort: (buffer[0]! << 8) | buffer[1]!,
    dstPort: (buffer[2]! << 8) | buffer[3]!,
    seq: ((buffer[4]! << 24) | (buffer[5]! << 16) | (buffer[6]! << 8) | buffer[7]!) >>> 0,
    ack: ((buffer[8]! << 24) | (buffer[9]! << 16) | (buffer[10]! << 8) | buffer[11]!) >>> 0,
    flags: buffer[13]!,
    windowLen: (buffer[14]! << 8) | buffer[15]!,
    options: readOptions(buffer, headerLen),
    payload: buffer.subarray(headerLen),
  };
}

/** Why `buffer` cannot be a TCP segment (header length and option walk), or undefined. */
function checkHeader(buffer: Uint8Array): WireError | undefined {
  if (buffer.length < TCP_HEADER_LEN) return new WireError("tcp", `${buffer.length} bytes is shorter than the 20-byte header`);
  const dataOffset = buffer[TcpAt.DataOffsetFlags]! >> 4;
  const headerLen = dataOffset * 4;
  if (headerLen < TCP_HEADER_LEN) return new WireError("tcp", `data offset ${dataOffset} is below 5`);
  if (headerLen > buffer.length) return new WireError("tcp", `header of ${headerLen} bytes runs past the ${buffer.length}-byte segment`);
  if (headerLen === TCP_HEADER_LEN) return undefined;
  // NOP, NOP, timestamps: well formed, and what almost every segment carries (readOptions).
  if (headerLen === 32 && buffer[20] === OPT_NOP && buffer[21] === OPT_NOP && buffer[22] === OPT_TIMESTAMPS && buffer[23] === 10) return undefined;
  return checkOptions(buffer, headerLen);
}

/**
 * Walks the options in `buffer[20, headerLen)`: an error for a length byte missing, below 2,
 * or running past the header; undefined when every option is well formed. Kinds are not
 * judged here (an unknown kind is skipped by its length).
 */
function checkOptions(buffer: Uint8Array, headerLen: number): WireError | undefined {
  let at = TcpAt.Options;
  while (at < headerLen) {
    const kind = buffer[at]!;
    if (kind === OPT_END) return undefined;
    if (kind === OPT_NOP) { at += 1; continue; }
    if (at + 1 >= headerLen) return new WireError("tcp", `option ${kind}: length byte missing`);
    const length = buffer[at + 1]!;
    if (length < 2) return new WireError("tcp", `option ${kind}: length ${length} is below 2`);
    if (at + length > headerLen) return new WireError("tcp", `option ${kind}: length ${length} runs past the header`);
    at += length;
  }
  return undefined;
}

/** The IPv4 pseudo-header (RFC 9293 §3.1) for a TCP segment, folded to 16 bits. */
export function tcpPseudoHeaderSum(ip: Ipv4Endpoints, tcpLength: number): number {
  return pseudoHeaderSum(ip.src, ip.dst, IP_PROTOCOL_TCP, tcpLength);
}

/** A segment's header as plain data. Sequence numbers are unsigned 32-bit. */
export interface TcpRepr {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seqNumber: number;
  readonly ackNumber: number;
  readonly flags: number;
  /** The 16-bit field as sent (not scaled). */
  readonly windowLen: number;
  readonly urgentPointer?: number | undefined;
  readonly options: TcpOptions;
  readonly payload: Uint8Array;
}

/** Option bytes in the layout Linux uses, so a Linux segment re-emits byte for byte. */
function optionsLength(options: TcpOptions): number {
  let length = 0;
  if (options.mss !== undefined) length += 4;
  if (options.sackPermitted && options.timestamps !== undefined) length += 12; // SACK-permitted + timestamps share one word
  else {
    if (options.sackPermitted) length += 4;
    if (options.timestamps !== undefined) length += 12;
  }
  if (options.windowScale !== undefined) length += 4;
  if (options.sackBlocks !== undefined && options.sackBlocks.length > 0) length += 4 + 8 * options.sackBlocks.length;
  return length;
}

/** TSval then TSecr, big-endian: in nearly every segment, so byte stores rather than two writeU32 calls. */
function writeTimestamps(out: Uint8Array, at: number, tsVal: number, tsEcr: number): void {
  out[at] = tsVal >>> 24; out[at + 1] = tsVal >>> 16; out[at + 2] = tsVal >>> 8; out[at + 3] = tsVal;
  out[at + 4] = tsEcr >>> 24; out[at + 5] = tsEcr >>> 16; out[at + 6] = tsEcr >>> 8; out[at + 7] = tsEcr;
}

/** Writes the options at `out[at…]`; returns where they end. Byte writes, no views: this runs for every segment. */
function writeOptions(out: Uint8Array, at: number, options: TcpOptions): number {
  if (options.mss !== undefined) {
    out[at] = OPT_MSS; out[at + 1] = 4; writeU16(out, at + 2, options.mss); at += 4;
  }
  const ts = options.timestamps;
  if (options.sackPermitted && ts !== undefined) {
    out[at] = OPT_SACK_PERMITTED; out[at + 1] = 2; at += 2;
    out[at] = OPT_TIMESTAMPS; out[at + 1] = 10; writeTimestamps(out, at + 2, ts.tsVal, ts.tsEcr); at += 10;
  } else {
    if (options.sackPermitted) { out[at] = OPT_NOP; out[at + 1] = OPT_NOP; out[at + 2] = OPT_SACK_PERMITTED; out[at + 3] = 2; at += 4; }
    if (ts !== undefined) {
      out[at] = OPT_NOP; out[at + 1] = OPT_NOP; out[at + 2] = OPT_TIMESTAMPS; out[at + 3] = 10;
      writeTimestamps(out, at + 4, ts.tsVal, ts.tsEcr); at += 12;
    }
  }
  if (options.windowScale !== undefined) {
    out[at] = OPT_NOP; out[at + 1] = OPT_WINDOW_SCALE; out[at + 2] = 3; out[at + 3] = options.windowScale; at += 4;
  }
  const blocks = options.sackBlocks;
  if (blocks !== undefined && blocks.length > 0) {
    out[at] = OPT_NOP; out[at + 1] = OPT_NOP; out[at + 2] = OPT_SACK; out[at + 3] = 2 + 8 * blocks.length; at += 4;
    for (const block of blocks) { writeU32(out, at, block.left); writeU32(out, at + 4, block.right); at += 8; }
  }
  return at;
}

export const TcpRepr = {
  /** The header and payload of a checked packet; the payload is a view into it. */
  parse(packet: TcpPacket): TcpRepr {
    return {
      srcPort: packet.srcPort,
      dstPort: packet.dstPort,
      seqNumber: packet.seqNumber,
      ackNumber: packet.ackNumber,
      flags: packet.flags,
      windowLen: packet.windowLen,
      urgentPointer: packet.urgentPointer,
      options: packet.options(),
      payload: packet.payload(),
    };
  },

  /** Header length in bytes for this repr (options padded to a word). */
  headerLen(repr: TcpRepr): number {
    return TCP_HEADER_LEN + ((optionsLength(repr.options) + 3) & ~3);
  },

  /**
   * Writes header + payload into a new buffer; with `checksum`, fills the checksum over the
   * pseudo-header for `ip`, else leaves it zero (for a device that offloads it).
   */
  emit(repr: TcpRepr, ip?: Ipv4Endpoints, checksum?: ChecksumFn): Uint8Array {
    const headerLen = TcpRepr.headerLen(repr);
    const out = new Uint8Array(headerLen + repr.payload.length);
    TcpRepr.emitInto(repr, headerLen, out, 0);
    if (ip !== undefined && checksum !== undefined) fillChecksum(out, ip, checksum);
    return out;
  },

  /**
   * Writes header (`headerLen`, from headerLen(repr)) and payload at `out[at…]` with the
   * checksum field zero: the caller fills it in software or leaves it to the device.
   */
  emitInto(repr: TcpRepr, headerLen: number, out: Uint8Array, at: number): void {
    if (headerLen > TCP_MAX_HEADER_LEN) throw new RangeError(`Cannot emit TCP segment: options need ${headerLen - TCP_HEADER_LEN} bytes, more than 40`);
    const length = headerLen + repr.payload.length;
    // checkRoom judges (and throws); this only spares it the call, and Math.floor's, on every segment.
    if (!(at >= 0 && at + length <= out.length) || (at | 0) !== at) checkRoom(out, at, length, "tcp segment");
    // Byte stores, not writeU16/writeU32 calls: every segment sent comes through here.
    const { srcPort, dstPort, seqNumber, ackNumber, windowLen } = repr;
    const urgent = repr.urgentPointer ?? 0;
    out[at] = srcPort >>> 8; out[at + 1] = srcPort;
    out[at + 2] = dstPort >>> 8; out[at + 3] = dstPort;
    out[at + 4] = seqNumber >>> 24; out[at + 5] = seqNumber >>> 16; out[at + 6] = seqNumber >>> 8; out[at + 7] = seqNumber;
    out[at + 8] = ackNumber >>> 24; out[at + 9] = ackNumber >>> 16; out[at + 10] = ackNumber >>> 8; out[at + 11] = ackNumber;
    out[at + 12] = (headerLen / 4) << 4; out[at + 13] = repr.flags;
    out[at + 14] = windowLen >>> 8; out[at + 15] = windowLen;
    out[at + 16] = 0; out[at + 17] = 0;
    out[at + 18] = urgent >>> 8; out[at + 19] = urgent;
    const end = writeOptions(out, at + TCP_HEADER_LEN, repr.options);
    for (let pad = end; pad < at + headerLen; pad++) out[pad] = 0; // EOL: the frame may be reused memory
    out.set(repr.payload, at + headerLen);
  },
};

/** Writes the checksum of a complete segment in place. */
export function fillChecksum(segment: Uint8Array, ip: Ipv4Endpoints, checksum: ChecksumFn): void {
  segment[TcpAt.Checksum] = 0;
  segment[TcpAt.Checksum + 1] = 0;
  const sum = ~checksum(segment, 0, segment.length, tcpPseudoHeaderSum(ip, segment.length)) & 0xffff;
  segment[TcpAt.Checksum] = sum >> 8;
  segment[TcpAt.Checksum + 1] = sum & 0xff;
}
