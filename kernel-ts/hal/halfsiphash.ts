/**
 * halfsiphash: HalfSipHash-2-4 with a 32-bit tag (Aumasson and Bernstein's reduced SipHash,
 * all 32-bit arithmetic, made for short-input keyed hashes in kernels), in TypeScript, as
 * Platform.halfSipHash specifies. TCP's initial sequence numbers (RFC 6528) are its user.
 * The guest's HAL has it in C (shim/lib/halfsiphash.c): twelve SipRounds are about 850
 * bytecodes in QuickJS, a twentieth of a whole TCP connection's work.
 *
 * One function with no helpers outside it: the hosted-quickjs HAL embeds its source
 * (host/hosted/hal_module_source.ts). The state stays in int32s (`| 0`, and rotations
 * whose right shift leaves no sign bit) so QuickJS keeps to its integer paths.
 */

/**
 * The tag of `message` under the 8-byte `key`, as the reference implementation gives it
 * (its four output bytes read as a little-endian number). TypeError when either is not a
 * Uint8Array, RangeError when the key is not 8 bytes.
 */
export function halfSipHash24(key: Uint8Array, message: Uint8Array): number {
  if (!(key instanceof Uint8Array) || !(message instanceof Uint8Array)) throw new TypeError("Cannot hash: the key and the message must be Uint8Arrays");
  if (key.length !== 8) throw new RangeError(`Cannot hash with a ${key.length}-byte key: HalfSipHash needs 8`);
  const k0 = key[0]! | (key[1]! << 8) | (key[2]! << 16) | (key[3]! << 24);
  const k1 = key[4]! | (key[5]! << 8) | (key[6]! << 16) | (key[7]! << 24);
  let v0 = k0, v1 = k1, v2 = 0x6c796765 ^ k0, v3 = 0x74656462 ^ k1;
  const length = message.length;
  const whole = length - (length % 4);
  let last = (length & 0xff) << 24; // the last block: the length's low byte over the bytes left
  for (let at = whole; at < length; at++) last |= message[at]! << (8 * (at - whole));
  // Each little-endian word, then the last block, takes two SipRounds; then four to finish.
  for (let at = 0; ; at += 4) {
    const finishing = at > whole;
    let m = 0;
    if (finishing) v2 ^= 0xff;
    else {
      m = at < whole ? message[at]! | (message[at + 1]! << 8) | (message[at + 2]! << 16) | (message[at + 3]! << 24) : last;
      v3 ^= m;
    }
    for (let round = finishing ? 4 : 2; round > 0; round--) {
      v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
      v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
      v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    }
    if (finishing) return (v1 ^ v3) >>> 0;
    v0 ^= m;
  }
}
