/** socket: UDP and ICMP echo sockets, and the SocketSet an interface polls. Synchronous: the async app API wraps them. */
export { AddressInUse, MessageTooLong, SocketClosed, WouldBlock } from "./errors.ts";
export { UDP_MAX_PAYLOAD, UdpSocket, type UdpDatagram, type UdpOutgoing, type UdpSocketOptions, type UdpSocketStats } from "./udp_socket.ts";
export { ICMP_MAX_ECHO_DATA, IcmpSocket, type EchoReply, type EchoRequest, type IcmpSocketOptions, type IcmpSocketStats } from "./icmp_socket.ts";
export { SocketSet, type SocketSetOptions } from "./socket_set.ts";
