/**
 * arp: the Address Resolution Protocol (RFC 826) for Ethernet and IPv4 only — the one
 * combination this stack speaks. `ArpPacket.checked` refuses any other hardware or
 * protocol type, so its accessors can assume the 28-byte Ethernet/IPv4 layout.
 */

import type { Ipv4Address } from "../contracts.ts";
import { checkRoom, readU16, readU32, writeU16, writeU32 } from "./bytes.ts";
import { EtherType, readMac, writeMac, type MacAddress } from "./ethernet.ts";
import { WireError } from "./error.ts";

/** Byte offsets (RFC 826's field names: ar$hrd, ar$pro, …). */
const Field = {
  HTYPE: 0, // u16 ar$hrd: 1 = Ethernet
  PTYPE: 2, // u16 ar$pro: 0x0800 = IPv4
  HLEN: 4,  // u8  ar$hln: 6
  PLEN: 5,  // u8  ar$pln: 4
  OPER: 6,  // u16 ar$op
  SHA: 8,   // 6 bytes ar$sha: sender hardware address
  SPA: 14,  // 4 bytes ar$spa: sender protocol address
  THA: 18,  // 6 bytes ar$tha: target hardware address
  TPA: 24,  // 4 bytes ar$tpa: target protocol address
} as const;
export const ARP_PACKET_LEN = 28;
const HARDWARE_ETHERNET = 1;

export const ArpOperation = { Request: 1, Reply: 2 } as const;

export class ArpPacket {
  private constructor(readonly buffer: Uint8Array) {}

  static checked(buffer: Uint8Array): ArpPacket | WireError {
    if (buffer.length < 8) return new WireError("arp", `${buffer.length} bytes is shorter than the 8-byte fixed header`);
    const htype = readU16(buffer, Field.HTYPE);
    const ptype = readU16(buffer, Field.PTYPE);
    if (htype !== HARDWARE_ETHERNET || ptype !== EtherType.Ipv4 || buffer[Field.HLEN] !== 6 || buffer[Field.PLEN] !== 4) {
      return new WireError("arp", `hardware type ${htype}/${buffer[Field.HLEN]} and protocol type 0x${ptype.toString(16)}/${buffer[Field.PLEN]} are not Ethernet/IPv4`);
    }
    if (buffer.length < ARP_PACKET_LEN) return new WireError("arp", `${buffer.length} bytes is shorter than the ${ARP_PACKET_LEN}-byte Ethernet/IPv4 packet`);
    return new ArpPacket(buffer);
  }

  get operation(): number {
    return readU16(this.buffer, Field.OPER);
  }
  get senderHardwareAddr(): MacAddress {
    return readMac(this.buffer, Field.SHA);
  }
  get senderProtocolAddr(): Ipv4Address {
    return readU32(this.buffer, Field.SPA);
  }
  get targetHardwareAddr(): MacAddress {
    return readMac(this.buffer, Field.THA);
  }
  get targetProtocolAddr(): Ipv4Address {
    return readU32(this.buffer, Field.TPA);
  }
}

export interface ArpRepr {
  /** ArpOperation: 1 request, 2 reply. */
  readonly operation: number;
  readonly senderHardwareAddr: MacAddress;
  readonly senderProtocolAddr: Ipv4Address;
  readonly targetHardwareAddr: MacAddress;
  readonly targetProtocolAddr: Ipv4Address;
}

export const ArpRepr = {
  parse(packet: ArpPacket): ArpRepr | WireError {
    const operation = packet.operation;
    if (operation !== ArpOperation.Request && operation !== ArpOperation.Reply) return new WireError("arp", `operation ${operation} is neither request nor reply`);
    return {
      operation,
      senderHardwareAddr: packet.senderHardwareAddr,
      senderProtocolAddr: packet.senderProtocolAddr,
      targetHardwareAddr: packet.targetHardwareAddr,
      targetProtocolAddr: packet.targetProtocolAddr,
    };
  },
  bufferLen(): number {
    return ARP_PACKET_LEN;
  },
  emit(repr: ArpRepr, buffer: Uint8Array, offset: number): void {
    checkRoom(buffer, offset, ARP_PACKET_LEN, "arp packet");
    writeU16(buffer, offset + Field.HTYPE, HARDWARE_ETHERNET);
    writeU16(buffer, offset + Field.PTYPE, EtherType.Ipv4);
    buffer[offset + Field.HLEN] = 6;
    buffer[offset + Field.PLEN] = 4;
    writeU16(buffer, offset + Field.OPER, repr.operation);
    writeMac(buffer, offset + Field.SHA, repr.senderHardwareAddr);
    writeU32(buffer, offset + Field.SPA, repr.senderProtocolAddr);
    writeMac(buffer, offset + Field.THA, repr.targetHardwareAddr);
    writeU32(buffer, offset + Field.TPA, repr.targetProtocolAddr);
  },
};
