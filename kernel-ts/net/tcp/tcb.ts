/**
 * tcb: the Transmission Control Block (RFC 9293 §3.3.1) as plain data. Everything a
 * connection is lives here — numbers, booleans, Uint8Arrays and arrays of plain records,
 * no closures, no class instances — so a later kernel can hand TCBs to new TCP code while
 * connections stay up (DESIGN.md: state is data, code is replaceable). The functions in
 * rcv.ts, snd.ts, timer.ts and input.ts act on it; connection.ts wraps it for the owner.
 *
 * Sequence-space invariants (seq.ts comparisons):
 *   iss ≤ sndUna ≤ sndNxt ≤ sndMax, and the send buffer holds the bytes from sndUna on
 *   (after our SYN is acknowledged; before that it holds only data queued early).
 *   The receive buffer holds in-order bytes before rcvNxt not yet read by the owner;
 *   outOfOrder holds byte ranges at or after rcvNxt, sorted, disjoint, inside the window.
 */

import type { ByteRing } from "./byte_ring.ts";
import type { CongestionControl } from "./config.ts";
import type { TcpErrorCode } from "./errors.ts";
import type { TcpState } from "./state.ts";

export interface SeqRange {
  /** First sequence number. */
  left: number;
  /** One past the last. */
  right: number;
}

export interface OutOfOrderSegment {
  seq: number;
  bytes: Uint8Array;
}

export interface Tcb {
  id: number;
  state: TcpState;
  localAddress: number;
  localPort: number;
  remoteAddress: number;
  remotePort: number;
  /** The listener that made it (passive open), until accepted; else 0. */
  listenerId: number;
  /** Bumped on every change the owner may care about (data, space, state, error). */
  changed: number;
  error: TcpErrorCode | undefined;

  // Send sequence space (RFC 9293 §3.3.1).
  iss: number;
  sndUna: number;
  sndNxt: number;
  /** The highest sequence number sent + 1 (sndNxt drops back to sndUna on timeout). */
  sndMax: number;
  /** Peer's window, in bytes (scaled). */
  sndWnd: number;
  sndWl1: number;
  sndWl2: number;
  /** The largest window the peer has offered (RFC 5961 §5 ACK check). */
  maxSndWnd: number;
  sendBuffer: ByteRing;
  /** closeWrite() asked for a FIN after the buffered data. */
  finQueued: boolean;
  noDelay: boolean;
  /** End of the last sub-MSS segment sent (Minshall's Nagle: one small segment in flight). */
  smallSegmentEnd: number;

  // Receive sequence space.
  irs: number;
  rcvNxt: number;
  /** The right edge we last advertised (rcvNxt + window): never moved left. */
  rcvAdvertised: number;
  receiveBuffer: ByteRing;
  outOfOrder: OutOfOrderSegment[];
  /** The sequence number of a FIN received ahead of a hole, else undefined. */
  outOfOrderFin: number | undefined;
  /** The range of the last out-of-order segment, to put its SACK block first (RFC 2018 §4). */
  lastOutOfOrder: SeqRange | undefined;
  /** Peer's FIN has been received (rcvNxt counts it). */
  finReceived: boolean;
  /** close(): incoming data is discarded. */
  readClosed: boolean;

  // Options (negotiated in the handshake).
  /** Largest payload we send: min(peer's MSS option, our path MSS). */
  sendMss: number;
  /** The MSS we announce (path MTU − 40). */
  receiveMss: number;
  windowScaleOk: boolean;
  /** Shift applied to the peer's window field. */
  sndWindowShift: number;
  /** Shift we apply to our window field. */
  rcvWindowShift: number;
  sackOk: boolean;
  timestampsOk: boolean;
  /** Added to our clock for TSval (RFC 7323 §5.4: a random per-connection offset). */
  tsOffset: number;
  tsRecent: number;

  // Round-trip time (RFC 6298), milliseconds.
  srtt: number;
  rttVar: number;
  rto: number;
  hasRttSample: boolean;
  /** Karn's timed segment when timestamps are off: its end sequence and send time. */
  rttSeq: number | undefined;
  rttSentAt: number;

  // Congestion control (congestion.ts), bytes.
  cwnd: number;
  ssthresh: number;
  dupAcks: number;
  inRecovery: boolean;
  /** RFC 6582 "recover": sndMax when loss recovery began. */
  recover: number;
  /** Ranges above sndUna the peer has SACKed (merged, sorted). */
  sacked: SeqRange[];
  /** Next sequence to consider for a hole retransmit during recovery. */
  retransmitNext: number;
  /** Retransmit the segment at this sequence on the next output (fast retransmit). */
  retransmitDue: boolean;
  /**
   * Duplicate ACKs (or SACKed segments) that mean a loss: 3 (RFC 5681), raised when a
   * recovery turns out spurious, so a path that reorders stops triggering them (Linux's
   * tp->reordering; RFC 4653 in spirit). congestion.ts lowers it for small flights.
   */
  dupThresh: number;
  /**
   * Eifel (RFC 3522): the TSval our first retransmission of this recovery carried;
   * undefined before it is sent, RECOVERY_CHECKED (−1) once judged.
   */
  recoveryTsVal: number | undefined;
  /** cwnd and ssthresh before this recovery, restored if it proves spurious (RFC 4015 §3). */
  priorCwnd: number;
  priorSsthresh: number;
  /** Recoveries undone because the original segment arrived after all (for stats). */
  spuriousRecoveries: number;
  /** The window's growth and decrease (config.congestionControl); recovery is NewReno's either way. */
  congestionControl: CongestionControl;
  // CUBIC (cubic.ts, RFC 9438): W_max and W_est in bytes, K in seconds, the epoch's start in ms (−1: none).
  cubicWMax: number;
  cubicPriorWMax: number;
  cubicK: number;
  cubicEpochStart: number;
  cubicWEst: number;

  // Timers: absolute times in ms, Infinity when off.
  rtoAt: number;
  retries: number;
  delayedAckAt: number;
  /** An ACK must go out on the next output. */
  ackNow: boolean;
  /** Full-sized segments received since our last ACK (ACK every second one, RFC 5681 §4.2). */
  unackedSegments: number;
  persistAt: number;
  persistBackoff: number;
  timeWaitAt: number;
  keepAliveEnabled: boolean;
  keepAliveAt: number;
  keepAliveProbes: number;
  lastReceivedAt: number;
  /** A keepalive probe is due on the next output. */
  keepAliveDue: boolean;
  /** A zero-window probe is due on the next output. */
  probeDue: boolean;
}
