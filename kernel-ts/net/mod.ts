/**
 * net: the network stack's public face. Each part adds its exports here (and only adds).
 */
export type { ChecksumFn, Ipv4Address, Ipv4Endpoints, LinkDevice, RandomFill, TcpLayer, UdpEndpoint } from "./contracts.ts";
export * as wire from "./wire/mod.ts";
export { WireError, formatIpv4, parseIpv4, formatMac, parseMac, type MacAddress } from "./wire/mod.ts";
export { Interface, totalDrops, type InterfaceConfig, type InterfaceLimits, type InterfaceStats, type Ipv4Config, type RxDrops, type TxDrops } from "./iface/mod.ts";
export { AddressInUse, IcmpSocket, MessageTooLong, SocketClosed, SocketSet, UdpSocket, WouldBlock, type EchoReply, type IcmpSocketOptions, type UdpDatagram, type UdpSocketOptions } from "./socket/mod.ts";
