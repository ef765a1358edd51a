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

// The state lives in int32s (`| 0`, and rotations whose right shift leaves no sign bit),
// so QuickJS stays on its integer paths: uint32s above 2^31 would be float64s. No closures,
// one scratch state: an ISN is made for every connection.
const state = new Int32Array(4);

function begin(key: Uint8Array): void {
  if (key.length !== 8) throw new RangeError(`Cannot hash with a ${key.length}-byte key: HalfSipHash needs 8`);
  const k0 = readLe32(key, 0);
  const k1 = readLe32(key, 4);
  state[0] = k0;
  state[1] = k1;
  state[2] = 0x6c796765 ^ k0;
  state[3] = 0x74656462 ^ k1;
}

/** `count` SipRounds on the state. */
function rounds(count: number): void {
  let v0 = state[0]!, v1 = state[1]!, v2 = state[2]!, v3 = state[3]!;
  for (let i = 0; i < count; i++) {
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  }
  state[0] = v0; state[1] = v1; state[2] = v2; state[3] = v3;
}

/** One message word (little-endian), two compression rounds. */
function compress(word: number): void {
  state[3] = state[3]! ^ word;
  rounds(2);
  state[0] = state[0]! ^ word;
}

/** The 32-bit tag, after the message's last block. */
function finish(): number {
  state[2] = state[2]! ^ 0xff;
  rounds(4);
  return (state[1]! ^ state[3]!) >>> 0;
}

function readLe32(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

/** HalfSipHash-2-4 with a 32-bit tag, as the reference implementation (little-endian words). */
export function halfSipHash24(key: Uint8Array, message: Uint8Array): number {
  begin(key);
  const whole = message.length - (message.length % 4);
  for (let at = 0; at < whole; at += 4) compress(readLe32(message, at));
  let last = (message.length & 0xff) << 24;
  for (let at = whole; at < message.length; at++) last |= message[at]! << (8 * (at - whole));
  compress(last);
  return finish();
}

/** A 32-bit word's bytes in the other order: a big-endian field read as a little-endian word. */
function swap32(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

export interface FourTuple {
  readonly localAddress: number;
  readonly localPort: number;
  readonly remoteAddress: number;
  readonly remotePort: number;
}

/** RFC 6528 ISN for a four-tuple at time `now` (ms). */
export function initialSequenceNumber(secret: Uint8Array, tuple: FourTuple, now: number): number {
  // HalfSipHash of the 12 bytes local address, remote address, local port, remote port (all
  // big-endian), fed as its three little-endian words without making the bytes.
  begin(secret);
  compress(swap32(tuple.localAddress));
  compress(swap32(tuple.remoteAddress));
  const ports = ((tuple.localPort & 0xff) << 8) | (tuple.localPort >>> 8) | ((tuple.remotePort & 0xff) << 24) | ((tuple.remotePort >>> 8) << 16);
  compress(ports);
  compress(12 << 24);
  const ticks = Math.floor(now * 250) % 2 ** 32; // one tick per 4 µs
  return (ticks + finish()) >>> 0;
}
