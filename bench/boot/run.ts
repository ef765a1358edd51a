/**
 * The boot benchmark (`make bench`): Skiff's image and the Linux baseline guest booted by the
 * same qemu with the same flags, on q35 and microvm, timed from spawning qemu to the hello
 * line and to qemu's exit; Skiff's in-guest timeline; the stripped image size; the smallest
 * -m that still runs hello; Linux/Skiff ratios. Results: bench/results/boot-<date>.json and
 * boot-latest.json, plus a table on stdout.
 *
 *   npx tsx bench/boot/run.ts [--runs N] [--linux-runs N] [--mem SIZE] [--accel tcg|kvm] [--no-linux]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { paths } from "../../host/launch/paths.ts";
import { parseMemorySize } from "../../host/launch/memory_size.ts";
import { qemuMachines } from "../../host/launch/qemu_profile.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import { linuxGuest, skiffGuest, type Guest } from "./guests.ts";
import { bootOnce, smallestMemory } from "./measure.ts";
import { formatSummary, type BootResults, type GuestFigures, type MachineFigures } from "./report.ts";
import { summarize } from "./stats.ts";
import { parseTimeline } from "./timeline.ts";
import { accelFlag, flag, whole as positiveInt, writeResults } from "../args.ts";

const SKIFF_MEMORY_STEPS = ["64M", "32M", "24M", "16M", "12M", "8M", "6M", "4M", "3M", "2M"];
const LINUX_MEMORY_STEPS = ["512M", "256M", "192M", "128M", "96M", "64M", "48M", "32M", "24M", "16M"];

async function measureGuest(guest: Guest, machine: (typeof qemuMachines)[number], accel: Accel, memory: string, runs: number, steps: readonly string[]): Promise<GuestFigures> {
  const hello: number[] = [];
  const exit: number[] = [];
  const failures: string[] = [];
  const stages: Record<string, number[]> = {};
  for (let run = 0; run < runs; run++) {
    const sample = await bootOnce(guest, machine, accel, memory);
    process.stderr.write(`  ${guest.name} ${machine} run ${run + 1}/${runs}: ${sample.ok ? `hello ${sample.helloMs?.toFixed(1)} ms, exit ${sample.exitMs.toFixed(1)} ms` : `FAILED ${sample.failure}`}\n`);
    if (!sample.ok) {
      failures.push(sample.failure ?? "failed");
      continue;
    }
    hello.push(sample.helloMs!);
    exit.push(sample.exitMs);
    for (const [stage, value] of Object.entries(parseTimeline(sample.lines) ?? {})) (stages[stage] ??= []).push(value);
  }
  const timeline = Object.fromEntries(Object.entries(stages).map(([stage, values]) => [stage, summarize(values)!.median]));
  process.stderr.write(`  ${guest.name} ${machine}: searching the smallest -m\n`);
  const minMemory = await smallestMemory(guest, machine, accel, steps);
  const helloMs = summarize(hello);
  const exitMs = summarize(exit);
  return {
    describe: guest.describe,
    runs,
    failures,
    ...(helloMs !== undefined ? { helloMs } : {}),
    ...(exitMs !== undefined ? { exitMs } : {}),
    ...(Object.keys(timeline).length > 0 ? { timeline } : {}),
    minMemory,
  };
}

function ratioOf(linux: number | undefined, skiff: number | undefined): number | undefined {
  return linux !== undefined && skiff !== undefined && skiff > 0 ? linux / skiff : undefined;
}

async function main(): Promise<void> {
  if (!fs.existsSync(paths.image)) throw new Error(`${paths.image} is missing: run \`make build\` first`);
  const runs = positiveInt("--runs", 20);
  const linuxRuns = positiveInt("--linux-runs", Math.min(runs, 5));
  const memory = parseMemorySize(flag("--mem") ?? "128M").text;
  const accel = accelFlag();
  const withLinux = !process.argv.includes("--no-linux");
  const notes: string[] = [];

  const skiff = skiffGuest();
  const linux = withLinux ? linuxGuest() : undefined;
  if (linux !== undefined && linuxRuns < runs) notes.push(`Linux boots take seconds under TCG: ${linuxRuns} Linux runs per machine against ${runs} Skiff runs (--linux-runs to change)`);
  if (linux !== undefined) notes.push(`Linux guest: ${linux.describe}; cmdline "${linux.cmdline}"`);
  notes.push(`both guests: same qemu profile (hypervisor-configs/qemu-<machine>.json), -accel ${accel}, -m ${memory} for the timed runs; hello = the guest's first app line on the serial console`);

  const machines: Record<string, MachineFigures> = {};
  for (const machine of qemuMachines) {
    process.stderr.write(`${machine}:\n`);
    const skiffFigures = await measureGuest(skiff, machine, accel, memory, runs, SKIFF_MEMORY_STEPS);
    const linuxFigures = linux === undefined ? undefined : await measureGuest(linux, machine, accel, memory, linuxRuns, LINUX_MEMORY_STEPS);
    const memoryBytes = (figures: GuestFigures | undefined): number | undefined =>
      figures?.minMemory?.smallest === undefined ? undefined : parseMemorySize(figures.minMemory.smallest).bytes;
    machines[machine] = {
      skiff: skiffFigures,
      ...(linuxFigures !== undefined
        ? {
            linux: linuxFigures,
            ratios: {
              ...(ratioOf(linuxFigures.helloMs?.median, skiffFigures.helloMs?.median) !== undefined ? { helloMs: ratioOf(linuxFigures.helloMs?.median, skiffFigures.helloMs?.median)! } : {}),
              ...(ratioOf(linuxFigures.exitMs?.median, skiffFigures.exitMs?.median) !== undefined ? { exitMs: ratioOf(linuxFigures.exitMs?.median, skiffFigures.exitMs?.median)! } : {}),
              ...(ratioOf(memoryBytes(linuxFigures), memoryBytes(skiffFigures)) !== undefined ? { minMemory: ratioOf(memoryBytes(linuxFigures), memoryBytes(skiffFigures))! } : {}),
            },
          }
        : {}),
    };
  }

  const qemuVersion = execFileSync("qemu-system-x86_64", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  const results: BootResults = {
    date: new Date().toISOString(),
    host: { cpu: os.cpus()[0]?.model ?? "unknown", cpus: os.cpus().length, qemu: qemuVersion, node: process.version },
    settings: { runs, linuxRuns: withLinux ? linuxRuns : 0, memory, accel, linux: withLinux },
    image: { path: "build/skiff.elf", bytes: fs.statSync(paths.image).size },
    machines,
    notes,
  };
  const files = writeResults("boot", results.date, results);
  process.stdout.write(`${formatSummary(results)}\n\nwritten: ${files.join(", ")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
