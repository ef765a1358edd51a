/**
 * isn: initial sequence numbers per RFC 6528: ISN = M + F(localip, localport, remoteip,
 * remoteport, secretkey), where M is a timer ticking every 4 µs and F a keyed hash. F is
 * HalfSipHash-2-4 (32-bit output, 64-bit key; Aumasson–Bernstein's reduced SipHash, made
 * for exactly this kind of short-input keyed hash in kernels), the platform's
 * (Platform.halfSipHash: C in the guest, where twelve SipRounds in QuickJS would be about
 * 850 bytecodes, a twentieth of a whole connection's work).
 *
 * Time is passed in (milliseconds); the secret comes from the stack's options (RandomFill
 * by default). Because M advances with the clock, a new incarnation of a four-tuple starts
 * above the old one's sequence space (RFC 6528 §3), which TIME_WAIT's shortened length
 * (timer.ts) relies on.
 */

import { halfSipHash24 } from "../../hal/halfsiphash.ts";
import type { KeyedHash } from "../contracts.ts";

export interface FourTuple {
  readonly localAddress: number;
  readonly localPort: number;
  readonly remoteAddress: number;
  readonly remotePort: number;
}

/** The hashed message, reused: an ISN is made for every connection. */
const message = new Uint8Array(12);

/**
 * RFC 6528 ISN for a four-tuple at time `now` (ms): the hash of the 12 bytes local address,
 * remote address, local port, remote port (all big-endian) under `secret`, plus the clock.
 */
export function initialSequenceNumber(secret: Uint8Array, tuple: FourTuple, now: number, hash: KeyedHash = halfSipHash24): number {
  const { localAddress, remoteAddress, localPort, remotePort } = tuple;
  message[0] = localAddress >>> 24; message[1] = localAddress >>> 16; message[2] = localAddress >>> 8; message[3] = localAddress;
  message[4] = remoteAddress >>> 24; message[5] = remoteAddress >>> 16; message[6] = remoteAddress >>> 8; message[7] = remoteAddress;
  message[8] = localPort >>> 8; message[9] = localPort;
  message[10] = remotePort >>> 8; message[11] = remotePort;
  const ticks = Math.floor(now * 250) % 2 ** 32; // one tick per 4 µs
  return (ticks + hash(secret, message)) >>> 0;
}
