/**
 * errors: the expected outcomes of a UDP or ICMP socket call that did not happen, one
 * class each (STYLE.md). They are returned, not thrown: `send` answers with undefined or
 * one of these.
 */

/** The port (or ICMP identifier) is bound already: TCP's class, so one `instanceof` covers both. */
export { AddressInUse } from "../tcp/errors.ts";

/** The socket's send queue is full: try again after the interface has polled. */
export class WouldBlock extends Error {
  override readonly name = "WouldBlock";
  constructor(what: string) {
    super(`Cannot queue ${what}: the send queue is full`);
  }
}

/** The datagram cannot be sent at all: larger than IPv4 can carry. */
export class MessageTooLong extends Error {
  override readonly name = "MessageTooLong";
  constructor(bytes: number, limit: number) {
    super(`Cannot send ${bytes} bytes: the limit is ${limit}`);
  }
}

/** The socket was closed. */
export class SocketClosed extends Error {
  override readonly name = "SocketClosed";
  constructor(what: string) {
    super(`Cannot use ${what}: the socket is closed`);
  }
}
