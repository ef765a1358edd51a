/**
 * wire/dhcp: the DHCP message (RFC 2131 §2, the BOOTP header) and its options (RFC 2132),
 * carried in UDP between ports 68 (client) and 67 (server).
 *
 * `DhcpPacket.checked(bytes)` returns a view or a DhcpWireError: after it succeeds the fixed
 * header and the option area are known to be in bounds (every option's length fits, an END
 * option is present), so no accessor throws. `DhcpRepr` is the plain record the client works
 * with; `parseDhcp` fills it (and rejects options whose length is wrong for their type),
 * `emitDhcp` writes it back. The order options arrived in is kept (`optionOrder`) so a parsed
 * message re-emits byte for byte; a message is padded to BOOTP's 300 bytes (RFC 1542 §2.1).
 * Option overload (option 52: options in `sname`/`file`) is not supported: those fields are
 * read as zero-filled and an overloaded message is rejected.
 */
import type { Ipv4Address } from "../contracts.ts";

/** Field offsets (RFC 2131 figure 1). */
const OP = 0;
const HTYPE = 1;
const HLEN = 2;
const HOPS = 3;
const XID = 4;
const SECS = 8;
const FLAGS = 10;
const CIADDR = 12;
const YIADDR = 16;
const SIADDR = 20;
const GIADDR = 24;
const CHADDR = 28; // 16 bytes
const MAGIC = 236;
const OPTIONS = 240;
/** RFC 1542 §2.1: a BOOTP message is at least 300 bytes; relays and old servers need it. */
export const DHCP_MIN_MESSAGE_LEN = 300;
export const DHCP_MAGIC_COOKIE = 0x63825363;
export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
const FLAG_BROADCAST = 0x8000;

export const BootOp = { Request: 1, Reply: 2 } as const;

/** RFC 2132 §9.6 option 53 values. */
export const DhcpMessageType = {
  Discover: 1, Offer: 2, Request: 3, Decline: 4, Ack: 5, Nak: 6, Release: 7, Inform: 8,
} as const;
export type DhcpMessageType = (typeof DhcpMessageType)[keyof typeof DhcpMessageType];

/** RFC 2132 option codes this file knows the type of. */
export const DhcpOption = {
  Pad: 0, SubnetMask: 1, Router: 3, DomainNameServer: 6, RequestedAddress: 50, LeaseTime: 51,
  Overload: 52, MessageType: 53, ServerIdentifier: 54, ParameterRequestList: 55,
  MaxMessageSize: 57, RenewalTime: 58, RebindingTime: 59, ClientIdentifier: 61, End: 255,
} as const;

export type DhcpWireErrorReason = "truncated" | "bad-magic" | "bad-hardware-length" | "option-overrun" | "no-end-option" | "bad-option-length" | "overloaded";

/**
 * Why bytes are not a DHCP message: a value returned, never thrown, and not an Error (no
 * stack trace per bad datagram), the shape of wire/error.ts's WireError with a typed reason.
 */
export class DhcpWireError {
  readonly name = "DhcpWireError";
  constructor(readonly reason: DhcpWireErrorReason, readonly detail: string) {}
  get message(): string { return `Cannot parse DHCP message: ${this.detail}`; }
  toString(): string { return `DhcpWireError: ${this.message}`; }
}

/** A checked view over one DHCP message (the UDP payload). */
export class DhcpPacket {
  private constructor(readonly bytes: Uint8Array, private readonly view: DataView) {}

  static checked(bytes: Uint8Array): DhcpPacket | DhcpWireError {
    if (bytes.length < OPTIONS) return new DhcpWireError("truncated", `${bytes.length} bytes is shorter than the ${OPTIONS}-byte header and magic cookie`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(MAGIC) !== DHCP_MAGIC_COOKIE) return new DhcpWireError("bad-magic", "no DHCP magic cookie (a plain BOOTP message)");
    if (bytes[HLEN]! > 16) return new DhcpWireError("bad-hardware-length", `hlen ${bytes[HLEN]} is over 16`);
    for (let at = OPTIONS; ;) {
      if (at >= bytes.length) return new DhcpWireError("no-end-option", "the options end without an END option");
      const code = bytes[at]!;
      if (code === DhcpOption.End) return new DhcpPacket(bytes, view);
      if (code === DhcpOption.Pad) { at++; continue; }
      if (at + 2 > bytes.length || at + 2 + bytes[at + 1]! > bytes.length) return new DhcpWireError("option-overrun", `option ${code} at offset ${at} runs past the end`);
      at += 2 + bytes[at + 1]!;
    }
  }

  get op(): number { return this.bytes[OP]!; }
  get hardwareType(): number { return this.bytes[HTYPE]!; }
  get hardwareLen(): number { return this.bytes[HLEN]!; }
  get hops(): number { return this.bytes[HOPS]!; }
  get transactionId(): number { return this.view.getUint32(XID); }
  get secs(): number { return this.view.getUint16(SECS); }
  get broadcast(): boolean { return (this.view.getUint16(FLAGS) & FLAG_BROADCAST) !== 0; }
  get clientAddress(): Ipv4Address { return this.view.getUint32(CIADDR); }
  get yourAddress(): Ipv4Address { return this.view.getUint32(YIADDR); }
  get serverAddress(): Ipv4Address { return this.view.getUint32(SIADDR); }
  get relayAddress(): Ipv4Address { return this.view.getUint32(GIADDR); }
  /** chaddr, hlen bytes of it. */
  get clientHardwareAddress(): Uint8Array { return this.bytes.subarray(CHADDR, CHADDR + this.hardwareLen); }

  /** Every option but PAD and END, in wire order; data is a subarray. */
  *options(): Generator<{ code: number; data: Uint8Array }> {
    for (let at = OPTIONS; ;) {
      const code = this.bytes[at]!;
      if (code === DhcpOption.End) return;
      if (code === DhcpOption.Pad) { at++; continue; }
      const length = this.bytes[at + 1]!;
      yield { code, data: this.bytes.subarray(at + 2, at + 2 + length) };
      at += 2 + length;
    }
  }
}

/** A DHCP message as the client sees it. Absent options are undefined. Times in seconds. */
export interface DhcpRepr {
  readonly op: number;
  readonly transactionId: number;
  readonly secs: number;
  readonly broadcast: boolean;
  readonly clientAddress: Ipv4Address;
  readonly yourAddress: Ipv4Address;
  readonly serverAddress: Ipv4Address;
  readonly relayAddress: Ipv4Address;
  /** "52:54:00:12:34:56" (Ethernet, htype 1, hlen 6). */
  readonly clientHardwareAddress: string;
  readonly messageType?: DhcpMessageType;
  readonly serverIdentifier?: Ipv4Address;
  readonly requestedAddress?: Ipv4Address;
  readonly leaseTime?: number;
  readonly renewalTime?: number;
  readonly rebindingTime?: number;
  readonly subnetMask?: Ipv4Address;
  readonly routers?: readonly Ipv4Address[];
  readonly dnsServers?: readonly Ipv4Address[];
  readonly parameterRequestList?: readonly number[];
  readonly maxMessageSize?: number;
  readonly clientIdentifier?: Uint8Array;
  /** Options without a typed field here, in wire order. */
  readonly otherOptions?: readonly { readonly code: number; readonly data: Uint8Array }[];
  /** Option codes in the order to emit them; parse records the wire order. */
  readonly optionOrder?: readonly number[];
}

export function formatMac(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join(":");
}

export function parseMac(text: string): Uint8Array {
  const parts = text.split(":");
  if (parts.length !== 6 || !parts.every((part) => /^[0-9a-fA-F]{2}$/.test(part))) throw new TypeError(`Cannot parse MAC address ${JSON.stringify(text)}: expected six hex pairs`);
  return Uint8Array.from(parts, (part) => Number.parseInt(part, 16));
}

function badLength(code: number, length: number, expected: string): DhcpWireError {
  return new DhcpWireError("bad-option-length", `option ${code} has length ${length}, expected ${expected}`);
}

function addresses(data: Uint8Array): Ipv4Address[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const list: Ipv4Address[] = [];
  for (let at = 0; at < data.length; at += 4) list.push(view.getUint32(at));
  return list;
}

export function parseDhcp(packet: DhcpPacket): DhcpRepr | DhcpWireError {
  const fields: Record<string, unknown> = {};
  const otherOptions: { code: number; data: Uint8Array }[] = [];
  const optionOrder: number[] = [];
  for (const { code, data } of packet.options()) {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (!optionOrder.includes(code)) optionOrder.push(code);
    switch (code) {
      case DhcpOption.MessageType:
        if (data.length !== 1) return badLength(code, data.length, "1");
        fields.messageType = data[0]; break;
      case DhcpOption.Overload:
        return new DhcpWireError("overloaded", "option overload (52) is not supported");
      case DhcpOption.ServerIdentifier: case DhcpOption.RequestedAddress: case DhcpOption.SubnetMask:
      case DhcpOption.LeaseTime: case DhcpOption.RenewalTime: case DhcpOption.RebindingTime: {
        if (data.length !== 4) return badLength(code, data.length, "4");
        const name = { 54: "serverIdentifier", 50: "requestedAddress", 1: "subnetMask", 51: "leaseTime", 58: "renewalTime", 59: "rebindingTime" }[code];
        fields[name] = view.getUint32(0);
        break;
      }
      case DhcpOption.Router: case DhcpOption.DomainNameServer:
        if (data.length === 0 || data.length % 4 !== 0) return badLength(code, data.length, "a non-zero multiple of 4");
        fields[code === DhcpOption.Router ? "routers" : "dnsServers"] = addresses(data);
        break;
      case DhcpOption.ParameterRequestList:
        if (data.length === 0) return badLength(code, 0, "at least 1");
        fields.parameterRequestList = [...data]; break;
      case DhcpOption.MaxMessageSize:
        if (data.length !== 2) return badLength(code, data.length, "2");
        fields.maxMessageSize = view.getUint16(0); break;
      case DhcpOption.ClientIdentifier:
        if (data.length < 2) return badLength(code, data.length, "at least 2");
        fields.clientIdentifier = data.slice(); break;
      default:
        otherOptions.push({ code, data: data.slice() });
    }
  }
  return {
    op: packet.op,
    transactionId: packet.transactionId,
    secs: packet.secs,
    broadcast: packet.broadcast,
    clientAddress: packet.clientAddress,
    yourAddress: packet.yourAddress,
    serverAddress: packet.serverAddress,
    relayAddress: packet.relayAddress,
    clientHardwareAddress: formatMac(packet.clientHardwareAddress),
    ...fields,
    ...(otherOptions.length > 0 ? { otherOptions } : {}),
    optionOrder,
  } as DhcpRepr;
}

/** The default emission order: message type first (RFC 2131 §4.1 does not require it, but every server reads it early). */
const DEFAULT_ORDER: readonly number[] = [53, 61, 50, 54, 51, 58, 59, 1, 3, 6, 57, 55];

function optionData(repr: DhcpRepr, code: number): Uint8Array | undefined {
  const u32 = (value: number | undefined): Uint8Array | undefined => {
    if (value === undefined) return undefined;
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, value >>> 0);
    return data;
  };
  const list = (values: readonly number[] | undefined): Uint8Array | undefined => {
    if (values === undefined) return undefined;
    const data = new Uint8Array(values.length * 4);
    values.forEach((value, index) => new DataView(data.buffer).setUint32(index * 4, value >>> 0));
    return data;
  };
  switch (code) {
    case DhcpOption.MessageType: return repr.messageType === undefined ? undefined : Uint8Array.of(repr.messageType);
    case DhcpOption.ServerIdentifier: return u32(repr.serverIdentifier);
    case DhcpOption.RequestedAddress: return u32(repr.requestedAddress);
    case DhcpOption.SubnetMask: return u32(repr.subnetMask);
    case DhcpOption.LeaseTime: return u32(repr.leaseTime);
    case DhcpOption.RenewalTime: return u32(repr.renewalTime);
    case DhcpOption.RebindingTime: return u32(repr.rebindingTime);
    case DhcpOption.Router: return list(repr.routers);
    case DhcpOption.DomainNameServer: return list(repr.dnsServers);
    case DhcpOption.ParameterRequestList: return repr.parameterRequestList === undefined ? undefined : Uint8Array.from(repr.parameterRequestList);
    case DhcpOption.MaxMessageSize: return repr.maxMessageSize === undefined ? undefined : Uint8Array.of(repr.maxMessageSize >> 8, repr.maxMessageSize & 0xff);
    case DhcpOption.ClientIdentifier: return repr.clientIdentifier;
    default: return repr.otherOptions?.find((option) => option.code === code)?.data;
  }
}

function emittedOptions(repr: DhcpRepr): { code: number; data: Uint8Array }[] {
  const order = [...(repr.optionOrder ?? [])];
  for (const code of [...DEFAULT_ORDER, ...(repr.otherOptions ?? []).map((option) => option.code)]) {
    if (!order.includes(code)) order.push(code);
  }
  const options: { code: number; data: Uint8Array }[] = [];
  for (const code of order) {
    const data = optionData(repr, code);
    if (data === undefined) continue;
    if (data.length > 255) throw new RangeError(`Cannot emit DHCP option ${code}: ${data.length} bytes is over 255`);
    options.push({ code, data });
  }
  return options;
}

/** The bytes emitDhcp writes: header, options, END, padded to 300. */
export function dhcpBufferLen(repr: DhcpRepr): number {
  const optionBytes = emittedOptions(repr).reduce((sum, option) => sum + 2 + option.data.length, 0);
  return Math.max(DHCP_MIN_MESSAGE_LEN, OPTIONS + optionBytes + 1);
}

/** Writes `repr` into `bytes` (dhcpBufferLen(repr) long, zero-filled or not) and returns the length. */
export function emitDhcp(repr: DhcpRepr, bytes: Uint8Array): number {
  const length = dhcpBufferLen(repr);
  if (bytes.length < length) throw new RangeError(`Cannot emit DHCP message: ${length} bytes needed, ${bytes.length} given`);
  bytes.fill(0, 0, length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mac = parseMac(repr.clientHardwareAddress);
  bytes[OP] = repr.op;
  bytes[HTYPE] = 1; // Ethernet (RFC 1700 hardware type)
  bytes[HLEN] = mac.length;
  bytes[HOPS] = 0;
  view.setUint32(XID, repr.transactionId >>> 0);
  view.setUint16(SECS, repr.secs);
  view.setUint16(FLAGS, repr.broadcast ? FLAG_BROADCAST : 0);
  view.setUint32(CIADDR, repr.clientAddress >>> 0);
  view.setUint32(YIADDR, repr.yourAddress >>> 0);
  view.setUint32(SIADDR, repr.serverAddress >>> 0);
  view.setUint32(GIADDR, repr.relayAddress >>> 0);
  bytes.set(mac, CHADDR);
  view.setUint32(MAGIC, DHCP_MAGIC_COOKIE);
  let at = OPTIONS;
  for (const option of emittedOptions(repr)) {
    bytes[at] = option.code;
    bytes[at + 1] = option.data.length;
    bytes.set(option.data, at + 2);
    at += 2 + option.data.length;
  }
  bytes[at] = DhcpOption.End;
  return length;
}

/** emitDhcp into a new buffer. */
export function emitDhcpMessage(repr: DhcpRepr): Uint8Array {
  const bytes = new Uint8Array(dhcpBufferLen(repr));
  emitDhcp(repr, bytes);
  return bytes;
}
