/**
 * Where a guest's CPU is after a phase of the benchmark failed: through qemu's gdbstub the
 * VM is stopped a few times, 200 ms apart, and its instruction pointer and frame-pointer
 * chain are read (bench/profile/gdb_sampler.ts) and named from the image's symbols when
 * there are some (Skiff's skiff.sym.elf). Halted in `hal_wait` every time: the guest sleeps
 * with nothing it knows of to do (a lost wake-up); in JS_CallInternal: a loop in JS code;
 * elsewhere: a loop in C. The Linux guest's addresses stay numbers. And the host's side of
 * the link: the tap's counters (frames the host queued for the guest that qemu never read
 * show as TX drops) and the neighbour entry for the guest.
 */
import fs from "node:fs";
import { GdbSampler, Symbolizer } from "../profile/gdb_sampler.ts";
import type { BenchNetwork } from "./private_network.ts";

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

/** The tap's counters and the host's neighbour entries, inside the namespace, as one line each. */
export function linkState(network: BenchNetwork): string[] {
  const show = (argv: readonly string[]): string => {
    const result = network.exec(argv, 5_000);
    return (result.status === 0 ? result.stdout : `${argv.join(" ")} failed: ${result.stderr}`).trim().replace(/\s+/g, " ");
  };
  return [show(["ip", "-s", "link", "show", "dev", network.ifname]), show(["ip", "neigh", "show", "dev", network.ifname])];
}
