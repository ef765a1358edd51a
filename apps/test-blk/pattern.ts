/**
 * The bytes test-blk writes, a pure function of (seed, block number): the app writes and
 * checks them in the VM, and the vm test recomputes them on the host to check the disk file
 * after the VM has exited. Words are little-endian (x86 and the host alike); each 32-bit
 * word is a hash of (seed, block, word index), so a block written to the wrong place, a
 * stale block and a torn block all read back wrong.
 */

export const PATTERN_BLOCK_BYTES = 4096;

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Fills `bytes` (a multiple of 4 long) with block `block`'s pattern for `seed`. */
export function fillPattern(bytes: Uint8Array, seed: number, block: number): void {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  const base = mix((seed >>> 0) ^ mix(block + 0x9e3779b9));
  for (let i = 0; i < words.length; i++) words[i] = mix(base + i);
}

/** The first byte offset where `bytes` differs from block `block`'s pattern, or -1. */
export function checkPattern(bytes: Uint8Array, seed: number, block: number): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  const base = mix((seed >>> 0) ^ mix(block + 0x9e3779b9));
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== mix(base + i)) {
      const expected = mix(base + i);
      const got = words[i]!;
      for (let b = 0; b < 4; b++) if (((expected >>> (8 * b)) & 0xff) !== ((got >>> (8 * b)) & 0xff)) return 4 * i + b;
    }
  }
  return -1;
}
