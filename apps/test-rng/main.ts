/**
 * test-rng: reads env.bytes (default 4096) random bytes from the virtio-rng device and runs a
 * quick sanity check: the share of one bits is near 1/2 and most byte values occur. Lines:
 *   rng: device NAME via SOURCE
 *   rng: read N bytes, ones=0.498, distinct=256, sane
 * Status 0; 2 when the check fails ("… NOT RANDOM"); 5 when there is no rng device; 6 when
 * the device is listed but the app API gives no way to read it.
 */
import { openRng } from "./rng.ts";

function popcount(byte: number): number {
  let count = 0;
  for (let b = byte; b !== 0; b &= b - 1) count++;
  return count;
}

export default {
  async main(env: Record<string, string | undefined>, scope: unknown): Promise<number> {
    const rng = openRng(scope);
    if (rng === undefined) {
      console.log("rng: no rng device");
      return 5;
    }
    if (typeof rng === "string") {
      console.log(`rng: cannot read: ${rng}`);
      return 6;
    }
    console.log(`rng: device ${rng.name} via ${rng.source}`);
    const wanted = Number(env.bytes ?? "4096");
    const bytes = await rng.read(wanted);
    let ones = 0;
    const seen = new Set<number>();
    for (const byte of bytes) {
      ones += popcount(byte);
      seen.add(byte);
    }
    const share = ones / (8 * Math.max(1, bytes.length));
    // 4096 bytes: 32768 bits, σ of the share ≈ 0.003; every one of 256 values is expected ~16 times.
    const sane = bytes.length === wanted && Math.abs(share - 0.5) < 0.03 && seen.size >= Math.min(200, bytes.length / 4);
    console.log(`rng: read ${bytes.length} bytes, ones=${share.toFixed(3)}, distinct=${seen.size}, ${sane ? "sane" : "NOT RANDOM"}`);
    return sane ? 0 : 2;
  },
};
