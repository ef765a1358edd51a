/** The benchmark's readable summary table, and its JSON record under bench/results/. */
import type { Summary } from "./stats.ts";

export interface GuestFigures {
  readonly describe: string;
  readonly runs: number;
  readonly failures: readonly string[];
  readonly helloMs?: Summary;
  readonly exitMs?: Summary;
  /** Median of each in-guest stage, ms since PVH entry (Skiff only). */
  readonly timeline?: Record<string, number>;
  readonly minMemory?: { smallest?: string; firstFailure?: { size: string; reason: string } };
}

export interface MachineFigures {
  readonly skiff: GuestFigures;
  readonly linux?: GuestFigures;
  /** Linux / Skiff, on medians and on the smallest memory. */
  readonly ratios?: { helloMs?: number; exitMs?: number; minMemory?: number };
}

export interface BootResults {
  readonly date: string;
  readonly host: Record<string, string | number>;
  readonly settings: Record<string, string | number | boolean>;
  readonly image: { readonly path: string; readonly bytes: number };
  readonly machines: Record<string, MachineFigures>;
  readonly notes: readonly string[];
}

const ms = (value: number | undefined): string => (value === undefined ? "-" : `${value.toFixed(1)} ms`);
const ratio = (value: number | undefined): string => (value === undefined ? "-" : `${value.toFixed(1)}×`);
const spread = (summary: Summary | undefined): string =>
  summary === undefined ? "-" : `${ms(summary.median)} (min ${summary.min.toFixed(1)}, p90 ${summary.p90.toFixed(1)}, max ${summary.max.toFixed(1)}; n=${summary.runs})`;

export function formatSummary(results: BootResults): string {
  const out: string[] = [];
  out.push(`Skiff boot benchmark, ${results.date}`);
  out.push(`image build/skiff.elf (stripped): ${results.image.bytes} bytes = ${(results.image.bytes / 1024 / 1024).toFixed(2)} MiB`);
  for (const [key, value] of Object.entries(results.settings)) out.push(`  ${key}: ${value}`);
  for (const [machine, figures] of Object.entries(results.machines)) {
    out.push("");
    out.push(`== ${machine} ==`);
    const rows: [string, string, string, string][] = [["", "skiff", "linux", "linux/skiff"]];
    rows.push(["spawn → hello", spread(figures.skiff.helloMs), spread(figures.linux?.helloMs), ratio(figures.ratios?.helloMs)]);
    rows.push(["spawn → exit", spread(figures.skiff.exitMs), spread(figures.linux?.exitMs), ratio(figures.ratios?.exitMs)]);
    rows.push(["smallest -m", figures.skiff.minMemory?.smallest ?? "-", figures.linux?.minMemory?.smallest ?? "-", ratio(figures.ratios?.minMemory)]);
    rows.push(["failed runs", String(figures.skiff.failures.length), String(figures.linux?.failures.length ?? "-"), ""]);
    const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows) out.push(row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
    if (figures.skiff.timeline !== undefined) {
      out.push(`in-guest timeline (median, ms since PVH entry): ${Object.entries(figures.skiff.timeline).map(([stage, value]) => `${stage}=${value.toFixed(3)}`).join(" ")}`);
    }
    for (const guest of [figures.skiff, figures.linux]) {
      const failure = guest?.minMemory?.firstFailure;
      if (failure !== undefined) out.push(`${guest === figures.skiff ? "skiff" : "linux"} fails at -m ${failure.size}: ${failure.reason}`);
    }
  }
  if (results.notes.length > 0) {
    out.push("");
    for (const note of results.notes) out.push(`note: ${note}`);
  }
  return out.join("\n");
}
