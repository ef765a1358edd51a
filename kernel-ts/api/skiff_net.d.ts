/**
 * The module `skiff:net` as apps see it: the kernel defines it at boot
 * (kernel-ts/net/boot.ts, Platform.defineModule) from kernel-ts/net/api/net_api.ts.
 */
declare module "skiff:net" {
  type NetApi = import("../net/api/net_api.ts").NetApi;
  export type Connection = import("../net/api/connection.ts").Connection;
  export type Listener = import("../net/api/listener.ts").Listener;
  export type UdpPort = import("../net/api/udp_port.ts").UdpPort;
  export const listen: NetApi["listen"];
  export const connect: NetApi["connect"];
  export const bindUdp: NetApi["bindUdp"];
  export const lookup: NetApi["lookup"];
  export const ConnectionRefused: NetApi["ConnectionRefused"];
  export const ConnectionReset: NetApi["ConnectionReset"];
  export const TimedOut: NetApi["TimedOut"];
  export const AddressInUse: NetApi["AddressInUse"];
  export const ListenerClosed: NetApi["ListenerClosed"];
  export const NetworkUnavailable: NetApi["NetworkUnavailable"];
  export const WouldBlock: NetApi["WouldBlock"];
  export const MessageTooLong: NetApi["MessageTooLong"];
  export const SocketClosed: NetApi["SocketClosed"];
  export const NameNotFound: NetApi["NameNotFound"];
  export const NoAddress: NetApi["NoAddress"];
  export const DnsServerFailure: NetApi["DnsServerFailure"];
  export const DnsTimeout: NetApi["DnsTimeout"];
  export const NoDnsServer: NetApi["NoDnsServer"];
  export const BadHostname: NetApi["BadHostname"];
}
