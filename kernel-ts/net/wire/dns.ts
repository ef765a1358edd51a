/**
 * wire/dns: DNS messages (RFC 1035 §4): the header, questions and resource records, with
 * A records (§3.4.1) and CNAME (§3.3.1) decoded. Names are read with compression (§4.1.4):
 * a pointer must point strictly before the label that holds it, so a chain of pointers
 * always moves backwards and cannot loop; a name is at most 255 bytes and a label at most 63
 * (§2.3.4). Emission writes names uncompressed — enough for queries, which is all a stub
 * resolver sends.
 *
 * `parseDns(bytes)` returns the Repr or a DnsWireError (a value, never thrown): the header
 * counts must be matched by records that fit in the message. `emitDns` writes a Repr back.
 */
import type { Ipv4Address } from "../contracts.ts";

/** Header field offsets (RFC 1035 §4.1.1). */
const ID = 0;
const FLAGS = 2;
const QDCOUNT = 4;
const ANCOUNT = 6;
const NSCOUNT = 8;
const ARCOUNT = 10;
const HEADER_LEN = 12;
const MAX_NAME_LEN = 255;
const MAX_LABEL_LEN = 63;

export const DNS_PORT = 53;
export const DnsType = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41 } as const;
export const DnsClass = { IN: 1 } as const;
/** RFC 1035 §4.1.1 RCODE values. */
export const DnsRcode = { NoError: 0, FormErr: 1, ServFail: 2, NXDomain: 3, NotImp: 4, Refused: 5 } as const;

export type DnsWireErrorReason = "truncated" | "bad-label" | "bad-pointer" | "name-too-long" | "bad-record";

/**
 * Why bytes are not a DNS message: a value returned, never thrown, and not an Error (no
 * stack trace per bad datagram), the shape of wire/error.ts's WireError with a typed reason.
 */
export class DnsWireError {
  readonly name = "DnsWireError";
  constructor(readonly reason: DnsWireErrorReason, readonly detail: string) {}
  get message(): string { return `Cannot parse DNS message: ${this.detail}`; }
  toString(): string { return `DnsWireError: ${this.message}`; }
}

export interface DnsFlags {
  readonly response: boolean;
  readonly opcode: number;
  readonly authoritative: boolean;
  readonly truncated: boolean;
  readonly recursionDesired: boolean;
  readonly recursionAvailable: boolean;
  /** The Z bits (RFC 1035 "must be zero"; AD and CD in RFC 4035), kept for re-emission. */
  readonly z: number;
  readonly rcode: number;
}

export interface DnsQuestion {
  /** Dotted, without the final dot: "www.skiff.test"; "" is the root. */
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  /** Seconds (an unsigned 32-bit value; RFC 2181 §8 says treat values over 2^31−1 as 0). */
  readonly ttl: number;
  /** The RDATA as sent (a copy); compressed names inside it are not expanded here. */
  readonly data: Uint8Array;
  /** Type A: the address. */
  readonly address?: Ipv4Address;
  /** Type CNAME: the canonical name, decompressed. */
  readonly canonicalName?: string;
}

export interface DnsRepr {
  readonly id: number;
  readonly flags: DnsFlags;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
}

/** Reads a possibly compressed name at `start`; returns it and where the name's own bytes end. */
function readName(bytes: Uint8Array, start: number): { name: string; end: number } | DnsWireError {
  const labels: string[] = [];
  let length = 0;
  let at = start;
  let end = -1;
  // Each pointer must go strictly below the lowest offset read so far: no loops.
  let floor = start;
  for (;;) {
    if (at >= bytes.length) return new DnsWireError("truncated", `name at offset ${start} runs past the end`);
    const byte = bytes[at]!;
    if (byte === 0) {
      if (end < 0) end = at + 1;
      break;
    }
    const kind = byte & 0xc0;
    if (kind === 0xc0) {
      if (at + 1 >= bytes.length) return new DnsWireError("truncated", `pointer at offset ${at} runs past the end`);
      const target = ((byte & 0x3f) << 8) | bytes[at + 1]!;
      if (target >= floor) return new DnsWireError("bad-pointer", `pointer at offset ${at} to ${target} does not point backwards`);
      if (end < 0) end = at + 2;
      floor = target;
      at = target;
      continue;
    }
    if (kind !== 0) return new DnsWireError("bad-label", `label type 0x${kind.toString(16)} at offset ${at} is not supported`);
    if (at + 1 + byte > bytes.length) return new DnsWireError("truncated", `label at offset ${at} runs past the end`);
    length += byte + 1;
    if (length + 1 > MAX_NAME_LEN) return new DnsWireError("name-too-long", `name at offset ${start} is over ${MAX_NAME_LEN} bytes`);
    labels.push(String.fromCharCode(...bytes.subarray(at + 1, at + 1 + byte)));
    at += 1 + byte;
  }
  return { name: labels.join("."), end };
}

function readRecord(bytes: Uint8Array, view: DataView, start: number): { record: DnsRecord; end: number } | DnsWireError {
  const name = readName(bytes, start);
  if (name instanceof DnsWireError) return name;
  const at = name.end;
  if (at + 10 > bytes.length) return new DnsWireError("truncated", `record at offset ${start} is cut short`);
  const type = view.getUint16(at);
  const rdLength = view.getUint16(at + 8);
  if (at + 10 + rdLength > bytes.length) return new DnsWireError("truncated", `record data at offset ${at + 10} runs past the end`);
  const data = bytes.slice(at + 10, at + 10 + rdLength);
  let extra: { address?: Ipv4Address; canonicalName?: string } = {};
  if (type === DnsType.A && view.getUint16(at + 2) === DnsClass.IN) {
    if (rdLength !== 4) return new DnsWireError("bad-record", `A record at offset ${start} has ${rdLength} bytes of data, not 4`);
    extra = { address: view.getUint32(at + 10) };
  } else if (type === DnsType.CNAME) {
    const target = readName(bytes, at + 10);
    if (target instanceof DnsWireError) return target;
    if (target.end !== at + 10 + rdLength) return new DnsWireError("bad-record", `CNAME record at offset ${start} has a name that does not fill its data`);
    extra = { canonicalName: target.name };
  }
  return {
    record: { name: name.name, type, class: view.getUint16(at + 2), ttl: view.getUint32(at + 4), data, ...extra },
    end: at + 10 + rdLength,
  };
}

export function parseDns(bytes: Uint8Array): DnsRepr | DnsWireError {
  if (bytes.length < HEADER_LEN) return new DnsWireError("truncated", `${bytes.length} bytes is shorter than the 12-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint16(FLAGS);
  let at = HEADER_LEN;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < view.getUint16(QDCOUNT); i++) {
    const name = readName(bytes, at);
    if (name instanceof DnsWireError) return name;
    if (name.end + 4 > bytes.length) return new DnsWireError("truncated", `question at offset ${at} is cut short`);
    questions.push({ name: name.name, type: view.getUint16(name.end), class: view.getUint16(name.end + 2) });
    at = name.end + 4;
  }
  const sections: DnsRecord[][] = [[], [], []];
  const counts = [view.getUint16(ANCOUNT), view.getUint16(NSCOUNT), view.getUint16(ARCOUNT)];
  for (let section = 0; section < 3; section++) {
    for (let i = 0; i < counts[section]!; i++) {
      const record = readRecord(bytes, view, at);
      if (record instanceof DnsWireError) return record;
      sections[section]!.push(record.record);
      at = record.end;
    }
  }
  return {
    id: view.getUint16(ID),
    flags: {
      response: (flags & 0x8000) !== 0,
      opcode: (flags >> 11) & 0xf,
      authoritative: (flags & 0x0400) !== 0,
      truncated: (flags & 0x0200) !== 0,
      recursionDesired: (flags & 0x0100) !== 0,
      recursionAvailable: (flags & 0x0080) !== 0,
      z: (flags >> 4) & 0x7,
      rcode: flags & 0xf,
    },
    questions,
    answers: sections[0]!,
    authorities: sections[1]!,
    additionals: sections[2]!,
  };
}

/** The name's wire form, uncompressed; throws RangeError for a name DNS cannot carry. */
export function encodeName(name: string): Uint8Array {
  const labels = name === "" ? [] : name.replace(/\.$/, "").split(".");
  const bytes: number[] = [];
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_LABEL_LEN) throw new RangeError(`Cannot encode DNS name ${JSON.stringify(name)}: label ${JSON.stringify(label)} must be 1–63 bytes`);
    bytes.push(label.length);
    for (let i = 0; i < label.length; i++) {
      const code = label.charCodeAt(i);
      if (code > 0x7f) throw new RangeError(`Cannot encode DNS name ${JSON.stringify(name)}: not ASCII (use punycode)`);
      bytes.push(code);
    }
  }
  bytes.push(0);
  if (bytes.length > MAX_NAME_LEN) throw new RangeError(`Cannot encode DNS name ${JSON.stringify(name)}: over ${MAX_NAME_LEN} bytes`);
  return Uint8Array.from(bytes);
}

function flagBits(flags: DnsFlags): number {
  return (flags.response ? 0x8000 : 0) | ((flags.opcode & 0xf) << 11) | (flags.authoritative ? 0x0400 : 0) |
    (flags.truncated ? 0x0200 : 0) | (flags.recursionDesired ? 0x0100 : 0) | (flags.recursionAvailable ? 0x0080 : 0) |
    ((flags.z & 0x7) << 4) | (flags.rcode & 0xf);
}

/** Writes `repr` as a new message, names uncompressed; records are written from their `data`. */
export function emitDns(repr: DnsRepr): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new Uint8Array(HEADER_LEN);
  const view = new DataView(header.buffer);
  view.setUint16(ID, repr.id);
  view.setUint16(FLAGS, flagBits(repr.flags));
  view.setUint16(QDCOUNT, repr.questions.length);
  view.setUint16(ANCOUNT, repr.answers.length);
  view.setUint16(NSCOUNT, repr.authorities.length);
  view.setUint16(ARCOUNT, repr.additionals.length);
  parts.push(header);
  for (const question of repr.questions) {
    parts.push(encodeName(question.name), Uint8Array.of(question.type >> 8, question.type & 0xff, question.class >> 8, question.class & 0xff));
  }
  for (const record of [...repr.answers, ...repr.authorities, ...repr.additionals]) {
    const fixed = new Uint8Array(10);
    const fixedView = new DataView(fixed.buffer);
    fixedView.setUint16(0, record.type);
    fixedView.setUint16(2, record.class);
    fixedView.setUint32(4, record.ttl >>> 0);
    fixedView.setUint16(8, record.data.length);
    parts.push(encodeName(record.name), fixed, record.data);
  }
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) { bytes.set(part, at); at += part.length; }
  return bytes;
}

/** A recursive query for one name (RD set, as a stub resolver sends it, RFC 1123 §6.1.3.1). */
export function dnsQuery(id: number, name: string, type: number = DnsType.A): DnsRepr {
  return {
    id,
    flags: { response: false, opcode: 0, authoritative: false, truncated: false, recursionDesired: true, recursionAvailable: false, z: 0, rcode: 0 },
    questions: [{ name, type, class: DnsClass.IN }],
    answers: [],
    authorities: [],
    additionals: [],
  };
}
