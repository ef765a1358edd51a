/**
 * config: the stack's options and their defaults, with the reason for each number.
 * Times are milliseconds.
 */

import { halfSipHash24 } from "../../hal/halfsiphash.ts";
import type { ChecksumFn, KeyedHash, RandomFill } from "../contracts.ts";

export interface TcpStackOptions {
  /** RFC 1071 sum (Platform.checksum). */
  readonly checksum: ChecksumFn;
  /** Unpredictable bytes for the ISN secret, timestamp offsets and ephemeral ports. */
  readonly randomFill: RandomFill;
  /** 8 bytes for the RFC 6528 hash; from randomFill when absent. */
  readonly isnSecret?: Uint8Array;
  /** The RFC 6528 hash, HalfSipHash-2-4 (Platform.halfSipHash); halfSipHash24 in TypeScript when absent. */
  readonly halfSipHash?: KeyedHash;
  /** Path MTU; segments carry at most mtu − 40 bytes (IPv4 and TCP headers without options). */
  readonly mtu?: number;
  readonly sendBufferSize?: number;
  readonly receiveBufferSize?: number;
  /**
   * The largest TCP payload the link takes in one frame and segments itself (TSO: virtio's
   * HOST_TSO4); 0, the default, for none. New data then goes in segments of up to this
   * many bytes, cut into MSS-sized ones by the device.
   */
  readonly tsoMaxBytes?: number;
  /** Retransmissions of one segment before the connection times out. */
  readonly maxRetries?: number;
  /** Retransmissions of a SYN before connect() times out. */
  readonly synRetries?: number;
  readonly initialRto?: number;
  readonly minRto?: number;
  readonly maxRto?: number;
  readonly delayedAck?: number;
  readonly timeWait?: number;
  /** Half-open connections kept per listener (the SYN queue); the oldest is evicted. */
  readonly synQueueLimit?: number;
  /** Out-of-order segments kept per connection (their bytes are bounded by the window). */
  readonly outOfOrderLimit?: number;
  /** Challenge ACKs per second for the whole stack (RFC 5961 §7). */
  readonly challengeAckLimit?: number;
  readonly keepAliveIdle?: number;
  readonly keepAliveInterval?: number;
  readonly keepAliveProbes?: number;
  /** "cubic" (RFC 9438, the default) or "newreno" (RFC 5681/6582) window growth and decrease. */
  readonly congestionControl?: CongestionControl;
  /** Offer and accept these options (all on by default). */
  readonly windowScaling?: boolean;
  readonly timestamps?: boolean;
  readonly sack?: boolean;
}

export type CongestionControl = "cubic" | "newreno";

export interface TcpConfig {
  readonly checksum: ChecksumFn;
  readonly randomFill: RandomFill;
  readonly isnSecret: Uint8Array;
  readonly halfSipHash: KeyedHash;
  readonly mss: number;
  readonly sendBufferSize: number;
  readonly receiveBufferSize: number;
  readonly tsoMaxBytes: number;
  readonly congestionControl: CongestionControl;
  readonly maxRetries: number;
  readonly synRetries: number;
  readonly initialRto: number;
  readonly minRto: number;
  readonly maxRto: number;
  readonly delayedAck: number;
  readonly timeWait: number;
  readonly synQueueLimit: number;
  readonly outOfOrderLimit: number;
  readonly challengeAckLimit: number;
  readonly keepAliveIdle: number;
  readonly keepAliveInterval: number;
  readonly keepAliveProbes: number;
  readonly windowScaling: boolean;
  readonly timestamps: boolean;
  readonly sack: boolean;
}

/** IPv4's 16-bit total length bounds a TSO frame: 65535 less 20 bytes of IP and 60 of TCP header at most. */
const TSO_LIMIT = 65535 - 20 - 60;

function tsoMaxBytes(bytes: number): number {
  if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`Cannot use tsoMaxBytes ${bytes}: must be a whole number of bytes, 0 for no TSO`);
  return Math.min(bytes, TSO_LIMIT);
}

function congestionControl(name: string): CongestionControl {
  if (name !== "cubic" && name !== "newreno") throw new RangeError(`Cannot use congestion control ${JSON.stringify(name)}: expected "cubic" or "newreno"`);
  return name;
}

export function resolveConfig(options: TcpStackOptions): TcpConfig {
  let isnSecret = options.isnSecret;
  if (isnSecret === undefined) {
    isnSecret = new Uint8Array(8);
    options.randomFill(isnSecret);
  }
  if (isnSecret.length !== 8) throw new RangeError(`Cannot use an ISN secret of ${isnSecret.length} bytes: it must be 8`);
  const mtu = options.mtu ?? 1500;
  if (mtu < 68 + 40 || mtu > 65535) throw new RangeError(`Cannot use MTU ${mtu}: outside 108–65535`);
  return {
    checksum: options.checksum,
    randomFill: options.randomFill,
    isnSecret,
    halfSipHash: options.halfSipHash ?? halfSipHash24,
    mss: mtu - 40,
    // 256 KiB each way: a window that fills a 1 Gbit/s × 2 ms path, small enough for many connections.
    sendBufferSize: options.sendBufferSize ?? 256 * 1024,
    receiveBufferSize: options.receiveBufferSize ?? 256 * 1024,
    tsoMaxBytes: tsoMaxBytes(options.tsoMaxBytes ?? 0),
    congestionControl: congestionControl(options.congestionControl ?? "cubic"),
    // With RTO doubling from 200 ms to a 60 s cap, 12 retries span about 6 minutes (Linux's
    // tcp_retries2 = 15 spans about 15): long enough for a path to heal, short enough to notice.
    maxRetries: options.maxRetries ?? 12,
    synRetries: options.synRetries ?? 6, // 1+2+4+8+16+32 s: 63 s, as Linux
    initialRto: options.initialRto ?? 1000, // RFC 6298 §2.1
    // RFC 6298 §2.4 says 1 s; Linux and most stacks use 200 ms, which RFC 6298 allows as a
    // lower bound when the clock is precise, and which keeps small-loss stalls short.
    minRto: options.minRto ?? 200,
    maxRto: options.maxRto ?? 60_000, // RFC 6298 §2.5 allows a maximum of at least 60 s
    delayedAck: options.delayedAck ?? 40, // RFC 1122 says < 500 ms; 40 ms as Linux's minimum
    timeWait: options.timeWait ?? 30_000, // 2·MSL with MSL = 15 s: see timer.ts
    synQueueLimit: options.synQueueLimit ?? 256,
    outOfOrderLimit: options.outOfOrderLimit ?? 64,
    challengeAckLimit: options.challengeAckLimit ?? 1000, // Linux's tcp_challenge_ack_limit
    keepAliveIdle: options.keepAliveIdle ?? 7_200_000, // RFC 1122 §4.2.3.6: at least two hours
    keepAliveInterval: options.keepAliveInterval ?? 75_000,
    keepAliveProbes: options.keepAliveProbes ?? 9,
    windowScaling: options.windowScaling ?? true,
    timestamps: options.timestamps ?? true,
    sack: options.sack ?? true,
  };
}
