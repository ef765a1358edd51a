/**
 * errors: the expected ways a connection ends badly, one class each (STYLE.md: named
 * error classes, never strings). The TCB keeps only the error's code (plain data); the
 * connection handle turns it into one of these.
 */

export class ConnectionRefused extends Error {
  override readonly name = "ConnectionRefused";
  constructor() { super("Connection refused: the peer answered the SYN with RST"); }
}

export class ConnectionReset extends Error {
  override readonly name = "ConnectionReset";
  constructor() { super("Connection reset by the peer"); }
}

export class TimedOut extends Error {
  override readonly name = "TimedOut";
  constructor(what: string) { super(`Connection timed out: ${what}`); }
}

export class AddressInUse extends Error {
  override readonly name = "AddressInUse";
  constructor(where: string) { super(`Cannot bind ${where}: address in use`); }
}

/** What a TCB records; `TcpErrorCode` → class in connection.ts. */
export type TcpErrorCode = "refused" | "reset" | "timedOut" | "keepaliveTimedOut";

export function errorFromCode(code: TcpErrorCode): Error {
  switch (code) {
    case "refused": return new ConnectionRefused();
    case "reset": return new ConnectionReset();
    case "timedOut": return new TimedOut("no acknowledgement after the last retransmission");
    case "keepaliveTimedOut": return new TimedOut("keepalive probes unanswered");
  }
}
