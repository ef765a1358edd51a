/**
 * wire: packet views and Reprs, one file per protocol (smoltcp's wire module). Every
 * `XxxPacket.checked(bytes)` returns the view or a WireError; after it succeeds no accessor
 * reads outside the bytes. `XxxRepr.parse` turns a view into a plain record (or a
 * WireError), `XxxRepr.emit` writes one into a caller's buffer at an offset.
 */
export { WireError } from "./error.ts";
export { addSums, checksum, finishChecksum, pseudoHeaderSum } from "./checksum.ts";
export { BROADCAST_MAC, ETHERNET_HEADER_LEN, EtherType, EthernetFrame, EthernetRepr, formatMac, isMulticastMac, macToBytes, parseMac, readMac, writeMac, type MacAddress } from "./ethernet.ts";
export { ARP_PACKET_LEN, ArpOperation, ArpPacket, ArpRepr } from "./arp.ts";
export { BROADCAST_IPV4, UNSPECIFIED_IPV4, formatIpv4, isLoopbackIpv4, isMulticastIpv4, parseIpv4, prefixMask, sameNetwork, subnetBroadcast } from "./ipv4_address.ts";
export { IPV4_HEADER_LEN, IPV4_MAX_LEN, IpProtocol, Ipv4Packet, Ipv4Repr } from "./ipv4.ts";
export { DstUnreachableCode, ICMPV4_HEADER_LEN, Icmpv4Packet, Icmpv4Repr, Icmpv4Type, TimeExceededCode } from "./icmpv4.ts";
export { UDP_HEADER_LEN, UdpPacket, UdpRepr } from "./udp.ts";
