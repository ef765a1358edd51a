/** Command-line flags and the results folder, shared by the benchmarks' run.ts files. */
import path from "node:path";
import { paths } from "../host/launch/paths.ts";

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
