/**
 * stats: counters for what TCP did and dropped, by reason (STYLE.md: every drop is
 * counted). Plain numbers, so the owner can print or export them.
 */

export interface TcpStats {
  rx: {
    segments: number;
    malformed: number;
    badChecksum: number;
    /** No connection or listener: answered with RST. */
    noConnection: number;
    outOfWindow: number;
    /** RFC 7323 §5 PAWS rejected an old timestamp. */
    paws: number;
    badAck: number;
    rstIgnored: number;
    challengeAcks: number;
    challengeAcksLimited: number;
    /** A SYN dropped: the listener's accept queue is full. */
    listenOverflow: number;
    /** A half-open connection evicted to make room in the SYN queue. */
    synQueueEvictions: number;
    /** A new SYN took over a connection in TIME-WAIT (RFC 6191). */
    timeWaitReopened: number;
  };
  tx: {
    segments: number;
    retransmits: number;
    /** Retransmission-timer expiries (RFC 6298 §5.4–5.7): each is a stall of one RTO. */
    timeouts: number;
    /** Fast-recovery episodes entered (RFC 6582 §3.2 step 2). */
    recoveries: number;
    /** Recoveries undone: the segment was only reordered (Eifel, RFC 3522). */
    spuriousRecoveries: number;
    resets: number;
    /** A control segment (RST) dropped because the queue was full. */
    controlDropped: number;
  };
}

export function newTcpStats(): TcpStats {
  return {
    rx: { segments: 0, malformed: 0, badChecksum: 0, noConnection: 0, outOfWindow: 0, paws: 0, badAck: 0, rstIgnored: 0, challengeAcks: 0, challengeAcksLimited: 0, listenOverflow: 0, synQueueEvictions: 0, timeWaitReopened: 0 },
    tx: { segments: 0, retransmits: 0, timeouts: 0, recoveries: 0, spuriousRecoveries: 0, resets: 0, controlDropped: 0 },
  };
}
