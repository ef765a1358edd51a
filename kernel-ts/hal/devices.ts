/**
 * The device half of the HAL: the types and constants of the Platform's device members
 * (platform.ts). Every device has an index, fixed for the boot, which is also its bit in
 * the ReadySet that `wait` returns. Devices are virtio (virtio 1.2) in the VM; the fake
 * and hosted platforms implement the same calls over memory, UDP and files.
 *
 * Rules, as for the rest of the HAL: no call blocks; "the ring is full" and "nothing has
 * arrived" are the value `Again`; a device index that does not exist or is of another kind
 * is a RangeError; a wrong argument type a TypeError.
 */

/** Nothing to read, or no room to write, right now: try again after a `wait`. */
export const Again = "again" as const;
export type Again = typeof Again;

/** A write to a device that refuses writes (a read-only disk). */
export const ReadOnly = "read-only" as const;
export type ReadOnly = typeof ReadOnly;

export type DeviceKind = "net" | "block" | "rng" | "console";

export interface DeviceInfo {
  /** The device's index: its argument to the calls below and its bit in a ReadySet. */
  readonly index: number;
  readonly kind: DeviceKind;
  /** Where it is, for logs: "virtio-net@00:03.0", "udp:127.0.0.1:4000", "file:disk.img". */
  readonly name: string;
}

/** The offloads negotiated with the device (virtio 1.2 §5.1.3). False when absent. */
export interface NetOffloads {
  /** VIRTIO_NET_F_CSUM: the device completes checksums of frames we send (header flag NEEDS_CSUM). */
  readonly csum: boolean;
  /** VIRTIO_NET_F_GUEST_CSUM: received frames may arrive with a partial checksum (NEEDS_CSUM) or DATA_VALID. */
  readonly guestCsum: boolean;
  /** VIRTIO_NET_F_HOST_TSO4: we may send TCPv4 segments larger than the MTU (gso_type TCPV4). */
  readonly hostTso4: boolean;
  /** VIRTIO_NET_F_GUEST_TSO4: we may receive TCPv4 segments larger than the MTU. */
  readonly guestTso4: boolean;
  /** VIRTIO_NET_F_MRG_RXBUF: a large received frame may span several receive buffers. */
  readonly mergeableRxBuffers: boolean;
}

export interface NetInfo {
  /** "52:54:00:12:34:56" */
  readonly mac: string;
  /** The device's MTU (VIRTIO_NET_F_MTU), else 1500. */
  readonly mtu: number;
  /** VIRTIO_NET_S_LINK_UP; true when the device does not report link status. */
  readonly linkUp: boolean;
  readonly offloads: NetOffloads;
}

/** Counts since boot. Byte counts are of Ethernet frames, without the virtio-net header. */
export interface NetStats {
  readonly rxFrames: number;
  readonly rxBytes: number;
  /** Frames the device delivered that the platform could not hand over (malformed, too big). */
  readonly rxDrops: number;
  /** Times the receive ring had no buffer posted because all were still held by the kernel. */
  readonly rxBufferStarved: number;
  readonly txFrames: number;
  readonly txBytes: number;
  /** netWrite calls that could not queue every frame: the transmit ring was full. */
  readonly txRingFull: number;
  /**
   * Native only: frames the device sent straight out of a receive buffer, which only
   * happens when neither direction copies (an app echoing the frame it received). The
   * evidence that frames cross between ring and JS without copies.
   */
  readonly txFromRxBuffers?: number;
}

/**
 * Every frame netRead returns and netWrite takes begins with this many bytes of virtio-net
 * header (struct virtio_net_hdr_v1, virtio 1.2 §5.1.6): flags u8, gso_type u8, hdr_len
 * u16le, gso_size u16le, csum_start u16le, csum_offset u16le, num_buffers u16le. Then the
 * Ethernet frame, without FCS. A sender with no offloads writes twelve zero bytes.
 */
export const NET_HEADER_BYTES = 12;
/** Byte offsets of the header's fields (multi-byte ones little-endian, virtio 1.x §1.4). */
// Enums, not `as const` objects: the bundler writes an enum member's value where it is used,
// where an object's would be a property lookup on every packet.
export enum NetHeaderField {
  flags = 0,       // u8: NetHeaderFlag bits
  gsoType = 1,     // u8: NetGsoType
  hdrLen = 2,      // u16le: bytes of Ethernet + IP + TCP/UDP headers (GSO)
  gsoSize = 4,     // u16le: payload bytes per segment (GSO)
  csumStart = 6,   // u16le: where the checksummed region starts, from the Ethernet header (NEEDS_CSUM)
  csumOffset = 8,  // u16le: where, from csumStart, the checksum goes (NEEDS_CSUM)
  numBuffers = 10, // u16le: receive buffers this frame spans (MRG_RXBUF); 0 on transmit
}
export enum NetHeaderFlag { NeedsCsum = 1, DataValid = 2 }
export enum NetGsoType { None = 0, TcpV4 = 1, Udp = 3, TcpV6 = 4, Ecn = 0x80 }

export interface BlockInfo {
  /** Capacity in 512-byte sectors (virtio-blk's unit, whatever the block size). */
  readonly sectors: number;
  /** The device's preferred block size in bytes (VIRTIO_BLK_F_BLK_SIZE), else 512. */
  readonly blockSize: number;
  readonly readOnly: boolean;
  /** VIRTIO_BLK_F_FLUSH: flush requests reach stable storage. */
  readonly flush: boolean;
}

export type BlockStatus = "ok" | "io-error" | "unsupported";

export interface BlockCompletion {
  /** The id blockRead / blockWrite / blockFlush returned. */
  readonly id: number;
  readonly status: BlockStatus;
}
