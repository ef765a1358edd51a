/**
 * icmpv4: Internet Control Message Protocol messages (RFC 792) that this stack sends or
 * reads: echo request and reply, destination unreachable (with the invoking datagram's
 * header and first 8 data bytes, RFC 792 and RFC 1122 §3.2.2) and time exceeded. The
 * checksum covers the whole message (RFC 792: "the ICMP message starting with the ICMP
 * Type").
 */

import type { ChecksumFn } from "../contracts.ts";
import { checkRoom, readU16, readU32, writeU16, writeU32 } from "./bytes.ts";
import { finishChecksum } from "./checksum.ts";
import { WireError } from "./error.ts";

/** Byte offsets (RFC 792 names). */
const Field = {
  TYPE: 0,       // u8
  CODE: 1,       // u8
  CHECKSUM: 2,   // u16
  ECHO_IDENT: 4, // u16: echo identifier
  ECHO_SEQNO: 6, // u16: echo sequence number
  REST: 4,       // u32: rest of header (unused in errors; next-hop MTU in the low half for code 4)
  DATA: 8,
} as const;
export const ICMPV4_HEADER_LEN = 8;

export const Icmpv4Type = { EchoReply: 0, DstUnreachable: 3, EchoRequest: 8, TimeExceeded: 11 } as const;

/** Destination unreachable codes (RFC 792, RFC 1191). */
export const DstUnreachableCode = { NetUnreachable: 0, HostUnreachable: 1, ProtoUnreachable: 2, PortUnreachable: 3, FragRequired: 4 } as const;
/** Time exceeded codes (RFC 792). */
export const TimeExceededCode = { TtlExpired: 0, FragReassembly: 1 } as const;

export class Icmpv4Packet {
  private constructor(readonly buffer: Uint8Array) {}

  static checked(buffer: Uint8Array): Icmpv4Packet | WireError {
    if (buffer.length < ICMPV4_HEADER_LEN) return new WireError("icmpv4", `${buffer.length} bytes is shorter than the ${ICMPV4_HEADER_LEN}-byte header`);
    return new Icmpv4Packet(buffer);
  }

  get msgType(): number {
    return this.buffer[Field.TYPE]!;
  }
  get msgCode(): number {
    return this.buffer[Field.CODE]!;
  }
  get checksum(): number {
    return readU16(this.buffer, Field.CHECKSUM);
  }
  get echoIdent(): number {
    return readU16(this.buffer, Field.ECHO_IDENT);
  }
  get echoSeqNo(): number {
    return readU16(this.buffer, Field.ECHO_SEQNO);
  }
  /** The 32 bits after the checksum ("rest of header"). */
  get restOfHeader(): number {
    return readU32(this.buffer, Field.REST);
  }
  verifyChecksum(checksum: ChecksumFn): boolean {
    return checksum(this.buffer, 0, this.buffer.length, 0) === 0xffff;
  }
  /** Everything after the 8-byte header: echo data, or the invoking datagram of an error. */
  data(): Uint8Array {
    return this.buffer.subarray(Field.DATA);
  }
}

export type Icmpv4Repr =
  | { readonly kind: "echo-request" | "echo-reply"; readonly ident: number; readonly seqNo: number; readonly data: Uint8Array }
  | {
      readonly kind: "dst-unreachable";
      /** DstUnreachableCode. */
      readonly code: number;
      /** Next-hop MTU for FragRequired (RFC 1191), else 0. */
      readonly nextHopMtu: number;
      /** The invoking datagram's IP header and (at least) its first 8 data bytes. */
      readonly invoking: Uint8Array;
    }
  | { readonly kind: "time-exceeded"; readonly code: number; readonly invoking: Uint8Array };

export const Icmpv4Repr = {
  /** With `checksum`, a wrong checksum is a WireError. Types other than the four above are too. */
  parse(packet: Icmpv4Packet, checksum?: ChecksumFn): Icmpv4Repr | WireError {
    if (checksum !== undefined && !packet.verifyChecksum(checksum)) return new WireError("icmpv4", `checksum 0x${packet.checksum.toString(16)} is wrong`);
    switch (packet.msgType) {
      case Icmpv4Type.EchoRequest:
      case Icmpv4Type.EchoReply:
        if (packet.msgCode !== 0) return new WireError("icmpv4", `echo with code ${packet.msgCode}`);
        return { kind: packet.msgType === Icmpv4Type.EchoRequest ? "echo-request" : "echo-reply", ident: packet.echoIdent, seqNo: packet.echoSeqNo, data: packet.data() };
      case Icmpv4Type.DstUnreachable:
        return { kind: "dst-unreachable", code: packet.msgCode, nextHopMtu: packet.msgCode === DstUnreachableCode.FragRequired ? packet.restOfHeader & 0xffff : 0, invoking: packet.data() };
      case Icmpv4Type.TimeExceeded:
        return { kind: "time-exceeded", code: packet.msgCode, invoking: packet.data() };
      default:
        return new WireError("icmpv4", `type ${packet.msgType} is not supported`);
    }
  },
  bufferLen(repr: Icmpv4Repr): number {
    return ICMPV4_HEADER_LEN + ("data" in repr ? repr.data.length : repr.invoking.length);
  },
  /** Writes the message at `offset` and its checksum. */
  emit(repr: Icmpv4Repr, buffer: Uint8Array, offset: number, checksum: ChecksumFn): void {
    const length = Icmpv4Repr.bufferLen(repr);
    checkRoom(buffer, offset, length, "icmpv4 message");
    switch (repr.kind) {
      case "echo-request":
      case "echo-reply":
        buffer[offset + Field.TYPE] = repr.kind === "echo-request" ? Icmpv4Type.EchoRequest : Icmpv4Type.EchoReply;
        buffer[offset + Field.CODE] = 0;
        writeU16(buffer, offset + Field.ECHO_IDENT, repr.ident);
        writeU16(buffer, offset + Field.ECHO_SEQNO, repr.seqNo);
        buffer.set(repr.data, offset + Field.DATA);
        break;
      case "dst-unreachable":
        buffer[offset + Field.TYPE] = Icmpv4Type.DstUnreachable;
        buffer[offset + Field.CODE] = repr.code;
        writeU32(buffer, offset + Field.REST, repr.nextHopMtu & 0xffff);
        buffer.set(repr.invoking, offset + Field.DATA);
        break;
      case "time-exceeded":
        buffer[offset + Field.TYPE] = Icmpv4Type.TimeExceeded;
        buffer[offset + Field.CODE] = repr.code;
        writeU32(buffer, offset + Field.REST, 0);
        buffer.set(repr.invoking, offset + Field.DATA);
        break;
    }
    writeU16(buffer, offset + Field.CHECKSUM, 0);
    writeU16(buffer, offset + Field.CHECKSUM, finishChecksum(checksum(buffer, offset, offset + length, 0)));
  },
};
