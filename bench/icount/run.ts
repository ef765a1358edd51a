/**
 * Guest instructions per operation, counted by qemu (icount_plugin.c) rather than timed: a
 * load's cost that does not move with the host's other work, so an A/B of two kernel images
 * resolves changes of 1 % for HTTP and round trips, where CPU time per request
 * (bench/http/ab.ts) cannot see 10 %. kv and connect vary more between rounds (random keys
 * and sequence numbers, when the collector runs): compare A and B within a round.
 * With the blocks' addresses looked up in build/skiff.sym.elf it is also a profile of the
 * guest's C code: which QuickJS, shim and libc functions the instructions ran in.
 *
 *   http     apps/http-hello under wrk -t1 -c10 (--connections) for --seconds (operations: wrk's requests)
 *   kv       apps/kv under memcslap --test=set, 10 clients × --ops/10
 *   rtt      apps/bench-tcp's echo: --ops round trips of 32 bytes on one connection (+50 warm-up)
 *   connect  apps/bench-tcp's accept-and-close: --ops connections one after the other
 *   ping     ICMP echo requests of 32 bytes from the host, 10 ms apart (`ping -i 0.01`): the
 *            stack alone, with whatever the guest runs while idle between them
 *
 * Each round boots the image, runs the load once unmeasured (TCG translates on first use;
 * allocators and caches settle), reads the counters, runs the load, reads them again. With
 * --b, rounds alternate A, B, A, B…; the table gives each image's median and B / A.
 * Results: bench/results/icount-WORKLOAD-<date>[-LABEL].json. Needs root (ip netns, taps).
 *
 *   npx tsx bench/icount/run.ts http|kv|rtt|connect|ping [--a IMAGE] [--b IMAGE] [--rounds N] [--ops N] [--seconds N] [--connections N] [--top N] [--lines N] [--label NAME]
 *
 * --lines N adds image A's N hottest blocks with the source line each starts at (addr2line).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import { flag, resultsDir, whole } from "../args.ts";
import { buildAppImage } from "../app_image.ts";
import { bootGuest, type GuestBoot } from "../http/guest.ts";
import { execInNamespace } from "../http/exec_in_namespace.ts";
import { median } from "../http/results.ts";
import { runWrk } from "../http/wrk.ts";
import { peer, pingLoad, ports } from "../net/measure.ts";
import { createBenchNetwork, type BenchNetwork } from "../net/private_network.ts";
import { byFunction, countsBetween, loadSymbols, readCounts, type Counts, type FunctionCount, type Symbols } from "./counts.ts";

type Workload = "http" | "kv" | "rtt" | "connect" | "ping";
const workloads: readonly Workload[] = ["http", "kv", "rtt", "connect", "ping"];
const plugin = path.join(paths.repoRoot, "build", "bench", "icount_plugin.so");
const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface Round {
  readonly image: "a" | "b";
  readonly operations: number;
  readonly instructions: number;
  readonly perOperation: number;
  readonly functions: FunctionCount[];
  /** The hottest blocks: address and instructions. */
  readonly blocks: [number, number][];
}

/** Runs one load; how many operations it made. */
async function load(workload: Workload, network: BenchNetwork, ops: number, seconds: number, connections: number): Promise<number> {
  const host = network.guestAddress;
  switch (workload) {
    case "http": return (await runWrk(network, `http://${host}:8080/`, connections, seconds)).requests;
    case "kv": {
      const perClient = Math.max(1, Math.round(ops / 10));
      const result = await execInNamespace(network, ["memcslap", `--servers=${host}:11211`, "--test=set", "--concurrency=10", `--execute-number=${perClient}`], 600_000);
      const match = /Time to set\s+(\d+) keys/.exec(result.stdout);
      if (result.status !== 0 || match === null) throw new Error(`memcslap failed (status ${result.status}): ${(result.stderr + result.stdout).trim().slice(0, 300)}`);
      return Number(match[1]);
    }
    case "rtt": {
      const result = await peer(network, ["pingpong", host, ports.echo, ops, 32], 600_000);
      return (result.roundTrips as number) + (result.warmUp as number);
    }
    case "connect": return (await peer(network, ["connect", host, ports.accept, 600, ops], 600_000)).connections as number;
    case "ping": return (await pingLoad(network, ops, 600_000)).received;
  }
}

function bootFor(workload: Workload, image: string): { boot: GuestBoot; ready: RegExp } {
  switch (workload) {
    case "http": return { boot: { kind: "skiff", image, app: "http-hello", appImage: buildAppImage("http-hello") }, ready: /^skiff: app http-hello serving http:/ };
    case "kv": return { boot: { kind: "skiff", image, app: "kv", appImage: buildAppImage("kv"), extra: "env.memory_mb=16" }, ready: /^kv: listening on / };
    default: return { boot: { kind: "skiff", image, app: "bench-tcp" }, ready: /^bench-tcp: listening on / };
  }
}

/** The image's unstripped twin, linked beside it (the Makefile's skiff.sym.elf): its symbols and lines. */
function symbolFile(image: string): string {
  return image.replace(/skiff\.elf$/, "skiff.sym.elf");
}

async function measure(workload: Workload, which: "a" | "b", image: string, symbols: Symbols, settings: { ops: number; seconds: number; connections: number }): Promise<Round> {
  const table = `/dev/shm/skiff-icount-${process.pid}-${which}`;
  const network = createBenchNetwork();
  const { boot, ready } = bootFor(workload, image);
  const guest = bootGuest(boot, network, { accel: "tcg", memory: "512M", timeoutMs: 1_800_000, qemuPlugins: [`${plugin},out=${table}`] });
  try {
    await guest.waitForLine(ready, 240_000);
    await load(workload, network, Math.max(10, Math.round(settings.ops / 5)), Math.max(2, Math.round(settings.seconds / 3)), settings.connections);
    const before = readCounts(table);
    const operations = await load(workload, network, settings.ops, settings.seconds, settings.connections);
    const after = readCounts(table);
    const counts: Counts = countsBetween(before, after);
    return { image: which, operations, instructions: counts.total, perOperation: Math.round(counts.total / operations), functions: byFunction(counts, symbols), blocks: [...counts.byAddress].sort((x, y) => y[1] - x[1]).slice(0, 400) };
  } finally {
    await guest.stop();
    await network.close();
    fs.rmSync(table, { force: true });
  }
}

/** Per-operation instructions and calls of each function, over the rounds of one image. */
function perOperationByFunction(rounds: readonly Round[]): Map<string, { instructions: number; calls: number }> {
  const sums = new Map<string, { instructions: number; calls: number }>();
  const operations = rounds.reduce((sum, round) => sum + round.operations, 0);
  for (const round of rounds) {
    for (const entry of round.functions) {
      const sum = sums.get(entry.name) ?? { instructions: 0, calls: 0 };
      sum.instructions += entry.instructions / operations;
      sum.calls += entry.calls / operations;
      sums.set(entry.name, sum);
    }
  }
  return sums;
}

async function main(): Promise<void> {
  const workload = process.argv[2] as Workload;
  if (!workloads.includes(workload)) throw new Error(`Usage: bench/icount/run.ts ${workloads.join("|")} [--a IMAGE] [--b IMAGE] [--rounds N] [--ops N] [--seconds N] [--top N] [--label NAME]`);
  if (process.getuid?.() !== 0) throw new Error("Counting under load needs root (ip netns, tap devices)");
  execFileSync("make", ["-s", "build/bench/icount_plugin.so"], { cwd: paths.repoRoot, stdio: "inherit" });
  const a = path.resolve(flag("--a") ?? paths.image);
  const bFlag = flag("--b");
  const b = bFlag === undefined ? undefined : path.resolve(bFlag);
  for (const image of [a, b]) {
    if (image === undefined) continue;
    if (!fs.existsSync(image)) throw new Error(`${image} is missing: build it first`);
    if (!fs.existsSync(symbolFile(image))) throw new Error(`${symbolFile(image)} is missing: the counts are looked up in the unstripped image linked beside ${image}`);
  }
  const symbolsOf = new Map([a, b].filter((image) => image !== undefined).map((image) => [image, loadSymbols(symbolFile(image))]));
  const rounds = whole("--rounds", b === undefined ? 1 : 2);
  const settings = { ops: whole("--ops", workload === "connect" ? 200 : 1000), seconds: whole("--seconds", 10), connections: whole("--connections", 10) };
  const top = whole("--top", 30);

  const results: Round[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [which, image] of [["a", a], ["b", b]] as const) {
      if (image === undefined) continue;
      const result = await measure(workload, which, image, symbolsOf.get(image)!, settings);
      results.push(result);
      log(`round ${round + 1} ${which}: ${result.operations} operations, ${(result.perOperation / 1000).toFixed(1)} k instructions each`);
    }
  }

  const ofA = results.filter((round) => round.image === "a");
  const ofB = results.filter((round) => round.image === "b");
  const medianA = median(ofA.map((round) => round.perOperation))!;
  const medianB = median(ofB.map((round) => round.perOperation));
  const functionsA = perOperationByFunction(ofA);
  const lines = [`${workload}: guest instructions per operation, image A ${path.relative(paths.repoRoot, a)}: ${(medianA / 1000).toFixed(1)} k`];
  if (medianB !== undefined) {
    const functionsB = perOperationByFunction(ofB);
    lines.push(`image B ${path.relative(paths.repoRoot, b!)}: ${(medianB / 1000).toFixed(1)} k; B / A ${(medianB / medianA).toFixed(3)}`, "", "largest changes per operation (B − A):");
    const names = new Set([...functionsA.keys(), ...functionsB.keys()]);
    const changes = [...names].map((name) => [name, (functionsB.get(name)?.instructions ?? 0) - (functionsA.get(name)?.instructions ?? 0)] as const)
      .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1])).slice(0, top);
    for (const [name, change] of changes) lines.push(`${(change >= 0 ? "+" : "") + Math.round(change).toString().padStart(8)}  ${name}`);
  }
  lines.push("", `image A, per operation by function (${ofA.length} round${ofA.length === 1 ? "" : "s"}): instructions, share, calls:`);
  for (const [name, { instructions, calls }] of [...functionsA].sort((x, y) => y[1].instructions - x[1].instructions).slice(0, top)) {
    lines.push(`${Math.round(instructions).toString().padStart(9)}  ${(100 * instructions / medianA).toFixed(1).padStart(5)} %  ${calls.toFixed(1).padStart(8)}  ${name}`);
  }
  const lineCount = flag("--lines") === undefined ? 0 : whole("--lines", 0);
  if (lineCount > 0) {
    // The hottest blocks of A's first round, with the source line each starts at.
    const hottest = ofA[0]!.blocks.slice(0, lineCount);
    const where = execFileSync("addr2line", ["-f", "-s", "-e", symbolFile(a), ...hottest.map(([address]) => `0x${address.toString(16)}`)], { encoding: "utf8" }).split("\n");
    lines.push("", `image A, the ${lineCount} hottest blocks (instructions per operation, function, source line):`);
    hottest.forEach(([, insns], i) => lines.push(`${Math.round(insns / ofA[0]!.operations).toString().padStart(8)}  ${where[2 * i]}  ${where[2 * i + 1]}`));
  }
  process.stdout.write(`${lines.join("\n")}\n`);

  const label = flag("--label");
  const stamp = new Date().toISOString().replace(/:/g, "").replace(/\.\d+Z$/, "Z");
  const file = path.join(resultsDir, `icount-${workload}-${stamp}${label === undefined ? "" : `-${label}`}.json`);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({
    workload, settings, a: path.relative(paths.repoRoot, a), ...(b !== undefined ? { b: path.relative(paths.repoRoot, b) } : {}),
    medianPerOperation: { a: medianA, ...(medianB !== undefined ? { b: medianB, ratio: Number((medianB / medianA).toFixed(4)) } : {}) },
    rounds: results.map((round) => ({ ...round, functions: round.functions.slice(0, 60), blocks: round.blocks.slice(0, 400) })),
  }, null, 2)}\n`);
  log(`written: ${path.relative(paths.repoRoot, file)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`icount: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
