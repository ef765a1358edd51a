/** iface: the Ethernet/IPv4 interface — ARP, IPv4 in and out, fragments, ICMP — polled with the time passed in. */
export { Interface, type InterfaceConfig, type InterfaceLimits, type Ipv4Config } from "./interface.ts";
export { DEFAULT_NEIGHBOR_LIMITS, NeighborCache, type NeighborLimits } from "./neighbor_cache.ts";
export { DEFAULT_REASSEMBLY_LIMITS, Reassembler, type ReassemblyLimits } from "./reassembly.ts";
export { newInterfaceStats, totalDrops, type InterfaceStats, type RxDrops, type TxDrops } from "./stats.ts";
