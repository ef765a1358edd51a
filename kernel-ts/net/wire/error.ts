/**
 * error: WireError, what every checked constructor and Repr.parse in wire/ returns (never
 * throws) for bytes that are not a valid packet. A plain value, not an Error: the network
 * produces these at line rate and a stack trace per bad frame would cost more than the
 * frame. `protocol` says which layer refused, `message` why, in one voice:
 * "Cannot parse ipv4 packet: total length 900 exceeds the 60 bytes received".
 */

export class WireError {
  readonly name = "WireError";
  constructor(
    readonly protocol: string,
    readonly reason: string,
  ) {}

  get message(): string {
    return `Cannot parse ${this.protocol} packet: ${this.reason}`;
  }

  toString(): string {
    return `WireError: ${this.message}`;
  }
}
