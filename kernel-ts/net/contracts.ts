/**
 * contracts: the few types the parts of the network stack agree on, so that wire/, iface/,
 * tcp/, the UDP/ICMP sockets, DHCP, DNS and the app API can be built apart and joined.
 *
 * Rules for all of net/ (DESIGN.md, STYLE.md): nothing here reads a clock, sets a timer or
 * awaits — time is passed in as `now`, milliseconds on the monotonic clock (a float), and
 * each part says when it next needs to run with `pollAt(now)`. Bad input from the network
 * never throws: it is counted in the part's stats by reason and dropped (or answered with
 * the protocol's error). Broken invariants are assert()s.
 */

import type { TcpRepr } from "./wire/tcp.ts";

/** An IPv4 address as an unsigned 32-bit number in host order: 10.0.0.2 is 0x0a000002. */
export type Ipv4Address = number;

/**
 * RFC 1071 one's-complement sum of bytes[start, end) plus `seed`, folded to 16 bits, not
 * inverted — exactly Platform.checksum (the native one is C). wire/checksum.ts has a pure
 * TypeScript implementation with the same contract for tests and the fake platform.
 */
export type ChecksumFn = (bytes: Uint8Array, start: number, end: number, seed: number) => number;

/** Unpredictable bytes (Platform.randomFill), for ISNs, DHCP xids, DNS ids, ports. */
export type RandomFill = (bytes: Uint8Array) => void;

/**
 * HalfSipHash-2-4's 32-bit tag of `message` under an 8-byte key — exactly Platform.halfSipHash
 * (the native one is C); hal/halfsiphash.ts is the same function in TypeScript.
 */
export type KeyedHash = (key: Uint8Array, message: Uint8Array) => number;

/**
 * The link under the interface: kernel-ts/dev NetDevice satisfies it. Packets are the
 * 12-byte virtio-net header then the Ethernet frame (kernel-ts/hal/devices.ts).
 */
export interface LinkDevice {
  /** "52:54:00:12:34:56" */
  readonly mac: string;
  readonly info: {
    readonly mtu: number;
    readonly offloads: {
      readonly csum: boolean;
      readonly guestCsum: boolean;
      readonly hostTso4: boolean;
      readonly guestTso4: boolean;
    };
  };
  /** The next received packet (header + frame), or undefined. */
  receive(): Uint8Array | undefined;
  /** Queues packets (header + frame each) for sending; returns how many were taken. */
  send(packets: Uint8Array | readonly Uint8Array[]): number;
}

/** The addresses of one IPv4 packet, as the layers above IP see them. */
export interface Ipv4Endpoints {
  readonly src: Ipv4Address;
  readonly dst: Ipv4Address;
}

/**
 * What iface/ needs from TCP (net/tcp/, class TcpStack implements it): segments addressed
 * to us go in, segments to send come out, and pollAt says when a timer is due.
 */
export interface TcpLayer {
  /**
   * A TCP segment (header + payload, a view into the received frame: copy what must
   * outlive the call) for one of our addresses. `checksumVerified`: the device or iface
   * has already checked it (virtio DATA_VALID); otherwise TCP checks it with the
   * pseudo-header. Unknown connections are answered with RST (RFC 9293 §3.10.7.1).
   */
  input(now: number, ip: Ipv4Endpoints, segment: Uint8Array, checksumVerified: boolean): void;
  /**
   * Emits every segment due now through `send`, which returns false when the link cannot
   * take more this turn (TCP keeps the segment for the next call). The segment is given as
   * data (its payload a view valid only during the call): the iface writes it straight into
   * the frame after the IP header, with the checksum in software or offloaded. A payload
   * longer than `segmentSize` is for TCP segmentation offload (TSO): the device cuts it
   * into segments of `segmentSize` bytes; TCP makes such segments only when told the link
   * can (TcpStackOptions.tsoMaxBytes).
   */
  output(now: number, send: (ip: Ipv4Endpoints, segment: TcpRepr, segmentSize: number) => boolean): void;
  /** The next time output() has something to do without new input (a timer), or Infinity. */
  pollAt(now: number): number;
}

/**
 * What DHCP and DNS clients need from UDP, so they can be driven by tests without an
 * interface: datagrams in, datagrams out. iface/'s UDP sockets provide it.
 */
export interface UdpEndpoint {
  readonly address: Ipv4Address;
  readonly port: number;
}
