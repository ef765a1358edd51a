/** net/dhcp: the DHCP client (RFC 2131), pure — time in, datagrams out. */
export { BROADCAST, DhcpClient, MAX_REQUEST_SENDS, type DhcpClientOptions, type DhcpClientStats, type DhcpDatagram, type DhcpState } from "./client.ts";
export { leaseFromAck, maskPrefixLength, type DhcpLease } from "./lease.ts";
export { FIRST_DELAY_MS, JITTER_MS, MAX_DELAY_MS, MIN_LEASE_RETRANSMIT_MS, leaseRetransmitAt, retransmitDelayMs } from "./backoff.ts";
