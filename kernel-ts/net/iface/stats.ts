/**
 * stats: what the interface counts. Every received frame ends in exactly one outcome, so
 *
 *   rx.frames + fragments.reassembled = rx.delivered + fragments.accepted + Σ rx.drops
 *
 * (a reassembled datagram is one more thing to deliver or drop; a fragment kept for
 * reassembly is an outcome of its own). Held fragments end as reassembled, discarded or
 * still held: fragments.accepted = fragments.used + fragments.discarded + held now.
 * Every datagram the interface meant to send is sent or counted in tx.drops.
 *
 * There is no "ttl" drop on receive: a host MUST NOT discard a datagram for a low TTL
 * (RFC 1122 §3.2.1.7), and this interface does not forward.
 */

export interface RxDrops {
  /** A WireError at any layer: truncated, lying length fields, bad version, bad ARP types. */
  malformed: number;
  /** An IPv4 header, ICMP or UDP checksum that does not sum. */
  badChecksum: number;
  /** Not addressed to us: another MAC, a multicast group, another IP, an ARP for someone else. */
  notForUs: number;
  /** EtherType neither IPv4 nor ARP. */
  unknownEtherType: number;
  /** An IP protocol with no handler (answered with protocol unreachable, rate-limited). */
  unknownProtocol: number;
  /** A source address no host may use (broadcast, multicast, loopback). */
  martian: number;
  /** UDP to a port with no socket (answered with port unreachable, rate-limited). */
  noSocket: number;
  /** The socket's receive queue was full. */
  socketFull: number;
  /** ICMP we do not act on: errors, echo to a broadcast, replies for no socket. */
  icmpIgnored: number;
  /** A fragment refused for memory: total bytes, datagrams or fragments per datagram at their cap. */
  fragmentOverflow: number;
  /** A fragment inconsistent with its datagram: overlap, past 65535, odd length with MF. */
  fragmentInvalid: number;
}

export interface TxDrops {
  /** No address configured, or the destination is off-link with no gateway. */
  noRoute: number;
  /** ARP resolution failed after every retry: the packets waiting for it. */
  arpTimeout: number;
  /** The neighbour's pending queue (or the table of pending neighbours) was full. */
  arpQueueFull: number;
  /** The device's transmit queue refused the frame. */
  deviceFull: number;
  /** Larger than the MTU with DF set, or larger than IPv4 allows. */
  tooBig: number;
}

export interface InterfaceStats {
  readonly rx: { frames: number; delivered: number; readonly drops: RxDrops };
  readonly tx: { frames: number; readonly drops: TxDrops };
  readonly fragments: { accepted: number; used: number; discarded: number; reassembled: number; timeouts: number; sent: number };
  readonly arp: { requestsSent: number; repliesSent: number; gratuitousSent: number };
  readonly icmp: { echoRepliesSent: number; errorsSent: number; rateLimited: number };
}

export function newInterfaceStats(): InterfaceStats {
  return {
    rx: {
      frames: 0,
      delivered: 0,
      drops: { malformed: 0, badChecksum: 0, notForUs: 0, unknownEtherType: 0, unknownProtocol: 0, martian: 0, noSocket: 0, socketFull: 0, icmpIgnored: 0, fragmentOverflow: 0, fragmentInvalid: 0 },
    },
    tx: { frames: 0, drops: { noRoute: 0, arpTimeout: 0, arpQueueFull: 0, deviceFull: 0, tooBig: 0 } },
    fragments: { accepted: 0, used: 0, discarded: 0, reassembled: 0, timeouts: 0, sent: 0 },
    arp: { requestsSent: 0, repliesSent: 0, gratuitousSent: 0 },
    icmp: { echoRepliesSent: 0, errorsSent: 0, rateLimited: 0 },
  };
}

/** Σ of a drops record. */
export function totalDrops(drops: RxDrops | TxDrops): number {
  let sum = 0;
  for (const count of Object.values(drops)) sum += count;
  return sum;
}
