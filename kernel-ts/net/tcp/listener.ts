/**
 * listener: passive open (RFC 9293 §3.10.7.2, the LISTEN state) as plain data, with the
 * two bounds that keep a SYN flood from taking the machine:
 *
 * - the SYN queue (half-open TCBs in SYN-RECEIVED) holds at most synQueueLimit per
 *   listener; a SYN arriving when it is full evicts the oldest half-open entry, silently
 *   (no RST: the flood's spoofed sources would only be answered). A legitimate client whose
 *   entry was evicted retransmits its SYN; under a flood of F SYNs per RTT with a queue of
 *   Q, a real handshake survives when Q > F·RTT — and the memory spent stays Q TCBs.
 *   SYN cookies (no state at all) are the stronger answer and are left for later: they
 *   lose the options a cookie cannot carry (window scale, SACK) unless timestamps carry them.
 * - the accept queue holds at most `backlog` established, unaccepted connections; while it
 *   is full new SYNs are dropped (counted as listenOverflow) and a completing handshake's
 *   ACK is dropped too, so the peer retransmits it once the owner has accepted (Linux does
 *   the same).
 */

export interface ListenerData {
  id: number;
  address: number;
  port: number;
  backlog: number;
  /** TCB ids in SYN-RECEIVED, oldest first. */
  synQueue: number[];
  /** TCB ids established and not yet accepted, oldest first. */
  acceptQueue: number[];
  /** Bumped when a connection joins the accept queue. */
  changed: number;
  closed: boolean;
}

export function listenerKey(address: number, port: number): string {
  return `${address >>> 0}:${port}`;
}

export function removeFromQueues(listener: ListenerData, tcbId: number): void {
  const inSyn = listener.synQueue.indexOf(tcbId);
  if (inSyn >= 0) listener.synQueue.splice(inSyn, 1);
  const inAccept = listener.acceptQueue.indexOf(tcbId);
  if (inAccept >= 0) listener.acceptQueue.splice(inAccept, 1);
}
