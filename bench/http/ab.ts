/**
 * The HTTP benchmark's A/B: the same http-hello load on two kernel images, booted in turn
 * (A, B, A, B…) so both see the same host, each under wrk -t1 at 10 and then 1 keep-alive
 * connection. Besides requests/s and latency it records the CPU time qemu's busiest thread
 * (the vCPU under TCG) spent per request, read from /proc/PID/task/TID/stat around each wrk
 * run: on a shared host requests/s moves with the neighbours, CPU time per request much less.
 *
 *   npx tsx bench/http/ab.ts --a OLD_TREE/build/skiff.elf [--b build/skiff.elf] [--rounds 3] [--seconds 10] [--label NAME]
 *
 * Build the other image in a worktree (`git worktree add /tmp/old REV`, `make build/skiff.elf`
 * there). Both boot the app image of this tree (build/apps/http-hello.img). Writes
 * bench/results/http-ab-<date>[-LABEL].json. Needs root (ip netns, tap devices).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import { flag, resultsDir, whole } from "../args.ts";
import { buildAppImage } from "../app_image.ts";
import { threadCpuSeconds } from "../devices/proc_stat.ts";
import { createBenchNetwork } from "../net/private_network.ts";
import { bootGuest } from "./guest.ts";
import { hostInfo, median, sourceInfo } from "./results.ts";
import { runWrk } from "./wrk.ts";

const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface Run {
  readonly image: "a" | "b";
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The vCPU thread's share of one host CPU during the run. */
  readonly vcpuBusy: number;
  readonly cpuMsPerRequest: number;
}

async function measure(image: string, which: "a" | "b", appImage: string, seconds: number): Promise<Run[]> {
  const network = createBenchNetwork();
  const guest = bootGuest({ kind: "skiff", image, app: "http-hello", appImage }, network, { accel: "tcg", memory: "512M", timeoutMs: (4 * seconds + 300) * 1000 });
  try {
    await guest.waitForLine(/^skiff: app http-hello serving http:/, 240_000);
    // qemu runs in the namespace (`ip netns exec` execs it): the newest qemu is this guest's.
    const pid = Number(execFileSync("pgrep", ["-n", "qemu-system"], { encoding: "utf8" }).trim());
    const url = `http://${network.guestAddress}:8080/`;
    await runWrk(network, url, 10, Math.min(5, seconds)); // warm-up: TCG translates on first use
    const runs: Run[] = [];
    for (const connections of [10, 1]) {
      const before = threadCpuSeconds(pid);
      const started = Date.now();
      const figures = await runWrk(network, url, connections, seconds);
      const elapsed = (Date.now() - started) / 1000;
      let cpuSeconds = 0; // the busiest thread's: the vCPU under TCG
      for (const [tid, seconds] of threadCpuSeconds(pid)) cpuSeconds = Math.max(cpuSeconds, seconds - (before.get(tid) ?? 0));
      const run: Run = {
        image: which, connections, requestsPerSecond: figures.requestsPerSecond, p50Ms: figures.latencyMs.p50, p99Ms: figures.latencyMs.p99,
        vcpuBusy: Number((cpuSeconds / elapsed).toFixed(3)), cpuMsPerRequest: Number((1000 * cpuSeconds / Math.max(1, figures.requests)).toFixed(3)),
      };
      log(`  ${which} -c${connections}: ${run.requestsPerSecond} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, vCPU ${Math.round(100 * run.vcpuBusy)} %, ${run.cpuMsPerRequest} CPU ms per request`);
      runs.push(run);
    }
    return runs;
  } finally {
    await guest.stop();
    await network.close();
  }
}


async function main(): Promise<void> {
  const a = flag("--a");
  if (a === undefined) throw new Error("Usage: bench/http/ab.ts --a IMAGE [--b IMAGE] [--rounds N] [--seconds S] [--label NAME]");
  const images = { a: path.resolve(a), b: path.resolve(flag("--b") ?? paths.image) };
  for (const image of Object.values(images)) if (!fs.existsSync(image)) throw new Error(`${image} is missing: build it first (make build/skiff.elf in its tree)`);
  if (process.getuid?.() !== 0) throw new Error("The HTTP A/B needs root (ip netns, tap devices)");
  const rounds = whole("--rounds", 3);
  const seconds = whole("--seconds", 10);
  const label = flag("--label");
  const appImage = buildAppImage("http-hello");
  const sources = { a: sourceInfo(images.a, appImage), b: sourceInfo(images.b, appImage) }; // before the rounds: fails early

  const runs: Run[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const which of ["a", "b"] as const) {
      log(`round ${round}/${rounds}: ${which} = ${path.relative(paths.repoRoot, images[which]) || images[which]}`);
      runs.push(...(await measure(images[which], which, appImage, seconds)));
    }
  }
  const summary = Object.fromEntries([10, 1].map((connections) => {
    const of = (which: "a" | "b", key: "requestsPerSecond" | "cpuMsPerRequest" | "p99Ms"): number =>
      median(runs.filter((run) => run.image === which && run.connections === connections).map((run) => run[key])) ?? NaN;
    return [`c${connections}`, {
      requestsPerSecond: { a: of("a", "requestsPerSecond"), b: of("b", "requestsPerSecond"), bOverA: Number((of("b", "requestsPerSecond") / of("a", "requestsPerSecond")).toFixed(3)) },
      cpuMsPerRequest: { a: of("a", "cpuMsPerRequest"), b: of("b", "cpuMsPerRequest"), bOverA: Number((of("b", "cpuMsPerRequest") / of("a", "cpuMsPerRequest")).toFixed(3)) },
      p99Ms: { a: of("a", "p99Ms"), b: of("b", "p99Ms") },
    }];
  }));
  const date = new Date().toISOString();
  const results = {
    date,
    host: hostInfo(),
    sources,
    settings: { machine: "q35", accel: "tcg", memory: "512M", rounds, seconds, app: "http-hello", load: "wrk -t1, keep-alive, -c10 then -c1, after a 5 s -c10 warm-up" },
    summary,
    runs,
    notes: ["medians over the rounds; cpuMsPerRequest is the busiest qemu thread's user+system time (the vCPU under TCG) over wrk's request count"],
  };
  const stamp = date.replace(/:/g, "").replace(/\.\d+Z$/, "Z");
  const file = path.join(resultsDir, `http-ab-${stamp}${label !== undefined ? `-${label}` : ""}.json`);
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  for (const [name, figures] of Object.entries(summary)) {
    process.stdout.write(`${name}: requests/s ${figures.requestsPerSecond.a} → ${figures.requestsPerSecond.b} (${figures.requestsPerSecond.bOverA}×), CPU ms per request ${figures.cpuMsPerRequest.a} → ${figures.cpuMsPerRequest.b} (${figures.cpuMsPerRequest.bOverA}×), p99 ${figures.p99Ms.a} → ${figures.p99Ms.b} ms\n`);
  }
  process.stdout.write(`written: ${path.relative(paths.repoRoot, file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`http-ab: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
