/**
 * Where a guest's CPU is after a phase of the benchmark failed: through qemu's gdbstub the
 * VM is stopped a few times, 200 ms apart, and its instruction pointer and frame-pointer
 * chain are read (bench/profile/gdb_sampler.ts) and named from the image's symbols when
 * there are some (Skiff's skiff.sym.elf). Halted in `hal_wait` every time: the guest sleeps
 * with nothing it knows of to do (a lost wake-up); in JS_CallInternal: a loop in JS code;
 * elsewhere: a loop in C. The Linux guest's addresses stay numbers.
 */
import fs from "node:fs";
import { GdbSampler, Symbolizer } from "../profile/gdb_sampler.ts";

const SAMPLES = 5;
const APART_MS = 200;

/** One line per sample, innermost function first ("hal_wait ← hal_wait_js ← …"); a line saying why when there are none. */
export async function whereIsTheCpu(gdbSocket: string, symbols: string | undefined): Promise<string[]> {
  let sampler: GdbSampler;
  try {
    sampler = await GdbSampler.connect(gdbSocket, 2_000);
  } catch (error) {
    return [`no gdbstub answered (${error instanceof Error ? error.message : String(error)})`];
  }
  const names = symbols !== undefined && fs.existsSync(symbols) ? new Symbolizer(symbols) : undefined;
  const lines: string[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) {
      const pcs = await sampler.sample(8);
      lines.push(pcs.map((pc) => names?.name(pc) ?? `0x${pc.toString(16)}`).join(" ← "));
      await new Promise((resolve) => setTimeout(resolve, APART_MS));
    }
  } catch (error) {
    lines.push(`sampling stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    sampler.close();
  }
  return lines;
}
