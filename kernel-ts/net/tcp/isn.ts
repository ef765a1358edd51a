/**
 * isn: initial sequence numbers per RFC 6528: ISN = M + F(localip, localport, remoteip,
 * remoteport, secretkey), where M is a timer ticking every 4 µs and F a keyed hash. F is
 * HalfSipHash-2-4 (32-bit output, 64-bit key; Aumasson–Bernstein's reduced SipHash, made
 * for exactly this kind of short-input keyed hash in kernels, all 32-bit arithmetic).
 *
 * Time is passed in (milliseconds); the secret comes from the stack's options (RandomFill
 * by default). Because M advances with the clock, a new incarnation of a four-tuple starts
 * above the old one's sequence space (RFC 6528 §3), which TIME_WAIT's shortened length
 * (timer.ts) relies on.
 */

const rotl = (x: number, b: number) => ((x << b) | (x >>> (32 - b))) >>> 0;

function readLe32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** HalfSipHash-2-4 with a 32-bit tag, as the reference implementation (little-endian words). */
export function halfSipHash24(key: Uint8Array, message: Uint8Array): number {
  if (key.length !== 8) throw new RangeError(`Cannot hash with a ${key.length}-byte key: HalfSipHash needs 8`);
  const k0 = readLe32(key, 0);
  const k1 = readLe32(key, 4);
  let v0 = k0, v1 = k1, v2 = (0x6c796765 ^ k0) >>> 0, v3 = (0x74656462 ^ k1) >>> 0;
  const round = () => {
    v0 = (v0 + v1) >>> 0; v1 = rotl(v1, 5); v1 ^= v0; v0 = rotl(v0, 16);
    v2 = (v2 + v3) >>> 0; v3 = rotl(v3, 8); v3 ^= v2;
    v0 = (v0 + v3) >>> 0; v3 = rotl(v3, 7); v3 ^= v0;
    v2 = (v2 + v1) >>> 0; v1 = rotl(v1, 13); v1 ^= v2; v2 = rotl(v2, 16);
  };
  const compress = (m: number) => { v3 ^= m; round(); round(); v0 ^= m; };
  const whole = message.length - (message.length % 4);
  for (let at = 0; at < whole; at += 4) compress(readLe32(message, at));
  let last = (message.length & 0xff) << 24;
  for (let at = whole; at < message.length; at++) last |= message[at]! << (8 * (at - whole));
  compress(last >>> 0);
  v2 ^= 0xff;
  round(); round(); round(); round();
  return (v1 ^ v3) >>> 0;
}

export interface FourTuple {
  readonly localAddress: number;
  readonly localPort: number;
  readonly remoteAddress: number;
  readonly remotePort: number;
}

/** RFC 6528 ISN for a four-tuple at time `now` (ms). */
export function initialSequenceNumber(secret: Uint8Array, tuple: FourTuple, now: number): number {
  const message = new Uint8Array(12);
  const view = new DataView(message.buffer);
  view.setUint32(0, tuple.localAddress >>> 0);
  view.setUint32(4, tuple.remoteAddress >>> 0);
  view.setUint16(8, tuple.localPort);
  view.setUint16(10, tuple.remotePort);
  const ticks = Math.floor(now * 250) % 2 ** 32; // one tick per 4 µs
  return (ticks + halfSipHash24(secret, message)) >>> 0;
}
