/** Command-line flags and the results folder, shared by the benchmarks' run.ts files. */
import fs from "node:fs";
import path from "node:path";
import { paths } from "../host/launch/paths.ts";
import type { Accel } from "../host/launch/qemu.ts";
import { chartFor, renderSvg } from "./chart.ts";

export const resultsDir = path.join(paths.repoRoot, "bench", "results");

/** The word after `name` on the command line, or undefined. */
export function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** A whole number ≥ 1 given after `name`, else `fallback`; anything else is an error naming the flag. */
export function whole(name: string, fallback: number): number {
  const text = flag(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`Cannot use ${name} ${text}: expected a whole number ≥ 1`);
  return value;
}

/** --accel tcg|kvm, default tcg; anything else is an error. */
export function accelFlag(): Accel {
  const text = flag("--accel") ?? "tcg";
  if (text !== "tcg" && text !== "kvm") throw new Error(`Cannot use --accel ${text}: expected tcg or kvm`);
  return text;
}

/**
 * Writes NAME-<date>.json and NAME-latest.json in bench/results, and beside each its SVG chart
 * when the benchmark has one (chart.ts); returns the paths relative to the repository.
 */
export function writeResults(name: string, date: string, results: object): string[] {
  fs.mkdirSync(resultsDir, { recursive: true });
  const stamp = date.replace(/:/g, "").replace(/\.\d+Z$/, "Z");
  const files = [path.join(resultsDir, `${name}-${stamp}.json`), path.join(resultsDir, `${name}-latest.json`)];
  for (const file of files) fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const spec = chartFor(name, results);
  if (spec !== undefined) {
    const svg = renderSvg(spec);
    for (const file of [...files]) {
      const chart = file.replace(/\.json$/, ".svg");
      fs.writeFileSync(chart, svg);
      files.push(chart);
    }
  }
  return files.map((file) => path.relative(paths.repoRoot, file));
}
