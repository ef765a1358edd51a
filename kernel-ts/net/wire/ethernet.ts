/**
 * ethernet: Ethernet II frames (IEEE 802.3 with an EtherType, as RFC 894 carries IPv4) and
 * MAC addresses. The frame arrives without preamble or FCS (the device strips them), and
 * may carry padding after its payload (a frame is at least 60 bytes on the wire): the
 * layer above finds its own end from its length field.
 *
 * A MAC address is a 48-bit number (exact in a JS number): compared with ===, no
 * allocation per frame. parseMac/formatMac convert from and to "52:54:00:12:34:56".
 */

import { checkRoom, readU16, writeU16 } from "./bytes.ts";
import { WireError } from "./error.ts";

/** Byte offsets of the header's fields. */
const enum Field {
  DESTINATION = 0, // 6 bytes
  SOURCE = 6,      // 6 bytes
  ETHERTYPE = 12,  // u16
}
export const ETHERNET_HEADER_LEN = 14;
/** Where the EtherType is in the header, for a caller reading a frame in place. */
export const ETHERTYPE_AT = Field.ETHERTYPE;

export enum EtherType { Ipv4 = 0x0800, Arp = 0x0806, Ipv6 = 0x86dd }

/** A MAC address as a 48-bit number: 52:54:00:12:34:56 is 0x525400123456. */
export type MacAddress = number;
export const BROADCAST_MAC: MacAddress = 0xffff_ffff_ffff;

const TWO_32 = 0x1_0000_0000;

export function readMac(bytes: Uint8Array, at: number): MacAddress {
  return ((bytes[at]! << 8) | bytes[at + 1]!) * TWO_32 + (((bytes[at + 2]! << 24) | (bytes[at + 3]! << 16) | (bytes[at + 4]! << 8) | bytes[at + 5]!) >>> 0);
}

export function writeMac(bytes: Uint8Array, at: number, mac: MacAddress): void {
  const high = Math.floor(mac / TWO_32);
  const low = mac >>> 0;
  bytes[at] = high >>> 8;
  bytes[at + 1] = high;
  bytes[at + 2] = low >>> 24;
  bytes[at + 3] = low >>> 16;
  bytes[at + 4] = low >>> 8;
  bytes[at + 5] = low;
}

/** The six bytes of `mac`. */
export function macToBytes(mac: MacAddress): Uint8Array {
  const bytes = new Uint8Array(6);
  writeMac(bytes, 0, mac);
  return bytes;
}

/** Group bit (I/G) set: broadcast or multicast. */
export function isMulticastMac(mac: MacAddress): boolean {
  return (Math.floor(mac / 0x100_0000_0000) & 1) === 1;
}

/** "52:54:00:12:34:56" (or with '-') → MacAddress, or a WireError. */
export function parseMac(text: string): MacAddress | WireError {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) return new WireError("mac address", `"${text}" does not have six parts`);
  let mac = 0;
  for (const part of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(part)) return new WireError("mac address", `"${part}" in "${text}" is not a hex byte`);
    mac = mac * 256 + parseInt(part, 16);
  }
  return mac;
}

/** MacAddress → "52:54:00:12:34:56" (lower case). */
export function formatMac(mac: MacAddress): string {
  const bytes = macToBytes(mac);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(":");
}

/** A checked view of an Ethernet II frame. */
export class EthernetFrame {
  private constructor(readonly buffer: Uint8Array) {}

  /** The view, or a WireError when `buffer` is shorter than the header. */
  static checked(buffer: Uint8Array): EthernetFrame | WireError {
    if (buffer.length < ETHERNET_HEADER_LEN) return new WireError("ethernet", `${buffer.length} bytes is shorter than the ${ETHERNET_HEADER_LEN}-byte header`);
    return new EthernetFrame(buffer);
  }

  get destination(): MacAddress {
    return readMac(this.buffer, Field.DESTINATION);
  }

  get source(): MacAddress {
    return readMac(this.buffer, Field.SOURCE);
  }

  get etherType(): number {
    return readU16(this.buffer, Field.ETHERTYPE);
  }

  /** Everything after the header, padding included: a view. */
  payload(): Uint8Array {
    return this.buffer.subarray(ETHERNET_HEADER_LEN);
  }
}

export interface EthernetRepr {
  readonly source: MacAddress;
  readonly destination: MacAddress;
  readonly etherType: number;
}

export const EthernetRepr = {
  parse(frame: EthernetFrame): EthernetRepr {
    return { source: frame.source, destination: frame.destination, etherType: frame.etherType };
  },
  bufferLen(): number {
    return ETHERNET_HEADER_LEN;
  },
  /** Writes the header at `offset`; the payload follows at offset + bufferLen(). */
  emit(repr: EthernetRepr, buffer: Uint8Array, offset: number): void {
    checkRoom(buffer, offset, ETHERNET_HEADER_LEN, "ethernet header");
    writeMac(buffer, offset + Field.DESTINATION, repr.destination);
    writeMac(buffer, offset + Field.SOURCE, repr.source);
    writeU16(buffer, offset + Field.ETHERTYPE, repr.etherType);
  },
};
