/** net/api: the async socket API apps import as `skiff:net` (net_api.ts). */
export { createNetApi, NetworkUnavailable, type ConnectOptions, type ListenOptions, type NetApi } from "./net_api.ts";
export { Connection, type SocketAddress } from "./connection.ts";
export { Listener, ListenerClosed } from "./listener.ts";
export { UdpPort, type Datagram } from "./udp_port.ts";
