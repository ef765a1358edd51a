/**
 * net/tcp: TCP (RFC 9293) for Skiff — the public face. TcpStack is the layer iface/ drives
 * (contracts.ts TcpLayer) and the owner's factory of listeners and connections.
 *
 * Files by concern (gVisor's split): state, seq, isn, tcb (the connection as plain data),
 * input (segment arrival per state, RFC 5961 checks), ack, rcv (acceptance, reassembly,
 * SACK blocks), snd (segmentation, Nagle, probes), timer (RTO, persist, TIME-WAIT,
 * keepalive), rtt, congestion (NewReno), listener, connection (the owner's handles),
 * errors, stats, config.
 */

export { TcpStack, type TcpEndpoint } from "./stack.ts";
export { TcpConnection, TcpListener } from "./connection.ts";
export { TcpState } from "./state.ts";
export { ConnectionRefused, ConnectionReset, TimedOut, AddressInUse } from "./errors.ts";
export type { TcpStackOptions } from "./config.ts";
export type { TcpStats } from "./stats.ts";
export type { Tcb } from "./tcb.ts";
