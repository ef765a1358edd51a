/**
 * random: the simulator's seeded randomness. One 32-bit seed makes a whole run: the wire's
 * loss, duplication, reordering and jitter, the stacks' ISNs and ports, and the payload.
 * mulberry32 (public domain): small, fast, and good enough for choosing events.
 */

export type Random = () => number;

/** A uniform generator in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A RandomFill (contracts.ts) over a seeded generator, for the stacks' ISNs and ports. */
export function seededFill(seed: number): (bytes: Uint8Array) => void {
  const random = seededRandom(seed);
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  };
}

/** `length` reproducible bytes: the payload of a transfer. */
export function seededBytes(seed: number, length: number): Uint8Array {
  const random = seededRandom(seed);
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, length >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = random() * 4294967296;
  for (let i = words.length * 4; i < length; i++) out[i] = random() * 256;
  return out;
}

/** Seeds derived from one, so that the parts of a run do not share a sequence. */
export function deriveSeed(seed: number, salt: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(salt, 0xc2b2ae35)) >>> 0;
}
