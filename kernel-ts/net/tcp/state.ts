/**
 * state: the RFC 9293 §3.3.2 connection states, with the predicates the rest of tcp/ asks
 * (gVisor's EndpointState has the same shape). A string enum so a TCB prints and
 * serialises readably.
 */

export const TcpState = {
  Closed: "CLOSED",
  Listen: "LISTEN",
  SynSent: "SYN-SENT",
  SynReceived: "SYN-RECEIVED",
  Established: "ESTABLISHED",
  FinWait1: "FIN-WAIT-1",
  FinWait2: "FIN-WAIT-2",
  CloseWait: "CLOSE-WAIT",
  Closing: "CLOSING",
  LastAck: "LAST-ACK",
  TimeWait: "TIME-WAIT",
} as const;
export type TcpState = (typeof TcpState)[keyof typeof TcpState];

/** Our SYN is out and the handshake is not done. */
export function isConnecting(state: TcpState): boolean {
  return state === TcpState.SynSent || state === TcpState.SynReceived;
}

/** Both sides' ISNs are known (RFC 9293 "synchronized states"). */
export function isSynchronized(state: TcpState): boolean {
  return state !== TcpState.Closed && state !== TcpState.Listen && state !== TcpState.SynSent;
}

/** We may still queue data to send: our FIN has not been asked for. */
export function canSend(state: TcpState): boolean {
  return state === TcpState.Established || state === TcpState.CloseWait || isConnecting(state);
}

/** The peer may still send us data: its FIN has not arrived. */
export function canReceive(state: TcpState): boolean {
  return state === TcpState.Established || state === TcpState.FinWait1 || state === TcpState.FinWait2 || state === TcpState.SynReceived;
}

/** Our FIN has been queued (closeWrite). */
export function isClosingOurSide(state: TcpState): boolean {
  return state === TcpState.FinWait1 || state === TcpState.FinWait2 || state === TcpState.Closing || state === TcpState.LastAck || state === TcpState.TimeWait;
}
