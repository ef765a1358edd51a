/**
 * The HTTP benchmark: Skiff serving apps/http-hello (the kernel's HTTP/1.1 server, booted from
 * build/apps/http-hello.img) against the Linux guest serving the same answer with busybox
 * httpd and with Node's http.createServer (linux_guests.ts), all booted by the same qemu
 * with the same flags (TCG, q35, 1 vCPU, -m --mem) on a tap in a private namespace:
 *   boot      qemu's spawn → the first 200 the host gets polling GET / every 10 ms
 *             (first_200.ts in the namespace), median of --boots fresh boots each
 *   wrk       requests/s and p50/p99 latency, wrk -t1 -c10 and -c100 for --seconds,
 *             keep-alive, after an unmeasured 3 s run (TCG translates code on first use);
 *             http-hello vs Node
 *   memory    the smallest -m (64M, 32M, 24M, 16M, 12M, 8M, going down until one fails) at
 *             which http-hello answers 100 requests
 *   size      skiff.elf + http-hello.img vs vmlinuz + initramfs (busybox, and with Node)
 * Results: bench/results/http-<date>.json and http-latest.json; a table on stdout. Needs root.
 *
 *   npx tsx bench/http/run.ts [--boots N] [--seconds N] [--mem 512M] [--accel tcg|kvm] [--image TREE/build/skiff.elf]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { paths } from "../../host/launch/paths.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import { accelFlag, flag, whole, writeResults } from "../args.ts";
import { buildAppImage } from "../app_image.ts";
import type { LinuxGuest } from "../linux-guest/mod.ts";
import { createBenchNetwork, type BenchNetwork } from "../net/private_network.ts";
import { execInNamespace } from "./exec_in_namespace.ts";
import { bootGuest, type GuestBoot, type RunningGuest } from "./guest.ts";
import { busyboxHttpdGuest, nodeHttpGuest } from "./linux_guests.ts";
import { hostInfo, median, ratio, sourceInfo } from "./results.ts";
import { runWrk, type WrkFigures } from "./wrk.ts";

type ServerName = "skiff" | "busybox" | "node";
const PORT = 8080;
const memorySteps = ["64M", "32M", "24M", "16M", "12M", "8M"] as const;
const tsxLoader = pathToFileURL(path.join(paths.repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;
const pollerScript = path.join(paths.repoRoot, "bench", "http", "first_200.ts");

interface ServerFigures {
  readonly server: ServerName;
  readonly label: string;
  readonly bootToFirst200Ms: { readonly runs: readonly number[]; readonly median?: number };
  readonly wrk: readonly WrkFigures[];
}

const log = (text: string): void => { process.stderr.write(`${text}\n`); };

/** A fresh private network whose neighbour table retries ARP every 10 ms, so the first answer is seen within the poll interval, not the default 1 s retransmit. */
function freshNetwork(): BenchNetwork {
  const network = createBenchNetwork();
  network.exec(["sysctl", "-q", "-w", `net.ipv4.neigh.${network.ifname}.retrans_time_ms=10`]);
  return network;
}

/** Boots one guest with the poller already waiting; returns the VM (running) and qemu spawn → first 200 in ms. */
async function bootToFirst200(boot: GuestBoot, network: BenchNetwork, accel: Accel, memory: string): Promise<{ vm: RunningGuest; ms: number }> {
  let markReady: () => void = () => {};
  const pollerReady = new Promise<void>((resolve) => { markReady = resolve; });
  const poller = execInNamespace(network, [process.execPath, "--import", tsxLoader, pollerScript, `http://${network.guestAddress}:${PORT}/`, "10", "240000"], 260_000, (line) => { if (line === "ready") markReady(); });
  await Promise.race([pollerReady, poller]);
  const vm = bootGuest(boot, network, { accel, memory, timeoutMs: 1_800_000 });
  const result = await poller;
  const line = result.stdout.trim().split("\n").pop() ?? "";
  const parsed = JSON.parse(line.startsWith("{") ? line : "{}") as { atNs?: string; error?: string };
  if (parsed.atNs === undefined) {
    await vm.stop();
    throw new Error(`no first 200: ${parsed.error ?? `poller status ${result.status} ${result.stderr.trim().slice(0, 300)}`}; console:\n${vm.lines.slice(-10).join("\n")}`);
  }
  return { vm, ms: Number((Number(BigInt(parsed.atNs) - vm.startedNs) / 1e6).toFixed(1)) };
}

async function measureServer(server: ServerName, boot: GuestBoot, label: string, settings: { boots: number; seconds: number; accel: Accel; memory: string; wrk: boolean }, failures: string[]): Promise<ServerFigures> {
  const runs: number[] = [];
  const wrk: WrkFigures[] = [];
  for (let run = 1; run <= settings.boots; run++) {
    const network = freshNetwork();
    let vm: RunningGuest | undefined;
    try {
      const booted = await bootToFirst200(boot, network, settings.accel, settings.memory);
      vm = booted.vm;
      runs.push(booted.ms);
      log(`  ${server}: boot ${run}: first 200 after ${booted.ms} ms`);
      if (settings.wrk && run === settings.boots) {
        const url = `http://${network.guestAddress}:${PORT}/`;
        await runWrk(network, url, 10, 3); // unmeasured: TCG translates each path on first use
        for (const connections of [10, 100]) {
          try {
            const figures = await runWrk(network, url, connections, settings.seconds);
            wrk.push(figures);
            log(`  ${server}: wrk -c${connections}: ${figures.requestsPerSecond} req/s, p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, errors ${JSON.stringify(figures.socketErrors)}`);
          } catch (error) {
            failures.push(`${server}: wrk -c${connections}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
          }
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${server}: boot ${run}: ${message.split("\n")[0]}`);
      log(`  ${server}: boot ${run} FAILED: ${message}`);
    } finally {
      await vm?.stop();
      await network.close();
    }
  }
  const middle = median(runs);
  return { server, label, bootToFirst200Ms: { runs, ...(middle !== undefined ? { median: middle } : {}) }, wrk };
}

/** Boots http-hello at each -m going down; stops at the first that does not answer 100 requests. */
async function smallestMemory(boot: GuestBoot, accel: Accel): Promise<{ tried: Array<{ memory: string; served: number; error?: string }>; smallest?: string }> {
  const tried: Array<{ memory: string; served: number; error?: string }> = [];
  let smallest: string | undefined;
  for (const memory of memorySteps) {
    const network = freshNetwork();
    let vm: RunningGuest | undefined;
    try {
      vm = bootGuest(boot, network, { accel, memory, timeoutMs: 300_000 });
      await vm.waitForLine(/^skiff: app http-hello serving http:/, 120_000);
      const url = `http://${network.guestAddress}:${PORT}/`;
      const curl = await execInNamespace(network, ["curl", "-sS", "--max-time", "60", "-o", "/dev/null", "-w", "%{http_code}\\n", ...Array.from({ length: 100 }, () => url)], 90_000);
      const served = curl.stdout.split("\n").filter((code) => code === "200").length;
      tried.push({ memory, served, ...(served < 100 ? { error: curl.stderr.trim().split("\n").pop() ?? "" } : {}) });
      log(`  memory ${memory}: ${served}/100 requests answered 200`);
      if (served < 100) break;
      smallest = memory;
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
      const panic = vm?.lines.filter((line) => /panic|out of memory|error/i.test(line)).slice(-1)[0];
      tried.push({ memory, served: 0, error: `${message}${panic !== undefined ? ` — ${panic}` : ""}` });
      log(`  memory ${memory}: FAILED ${message} ${panic ?? ""}`);
      break;
    } finally {
      await vm?.stop();
      await network.close();
    }
  }
  return { tried, ...(smallest !== undefined ? { smallest } : {}) };
}

function summary(results: { date: string; host: { qemu: string }; settings: { memory: string; accel: string }; servers: ServerFigures[]; ratios: Record<string, number>; memory: { smallest?: string }; sizes: Record<string, number>; failures: string[] }): string {
  const out = [`HTTP benchmark, ${results.date}, q35 ${results.settings.accel}, -m ${results.settings.memory}, ${results.host.qemu}`];
  const get = (name: ServerName): ServerFigures | undefined => results.servers.find((server) => server.server === name);
  const cell = (value: number | undefined, digits = 1): string => (value === undefined ? "—" : value.toFixed(digits)).padStart(12);
  const q = (value: number | undefined): string => (value === undefined ? "—" : `${value.toFixed(2)}×`).padStart(12);
  out.push(`  ${"".padEnd(34)}${"Skiff".padStart(12)}${"Linux node".padStart(12)}${"busybox".padStart(12)}${"Skiff/node".padStart(12)}`);
  const row = (what: string, pick: (server: ServerFigures) => number | undefined, digits = 1): void => {
    const [s, n, b] = (["skiff", "node", "busybox"] as const).map((name) => { const server = get(name); return server === undefined ? undefined : pick(server); });
    out.push(`  ${what.padEnd(34)}${cell(s, digits)}${cell(n, digits)}${cell(b, digits)}${q(ratio(s, n))}`);
  };
  row("boot → first 200, median ms", (server) => server.bootToFirst200Ms.median, 0);
  for (const connections of [10, 100]) {
    const at = (server: ServerFigures): WrkFigures | undefined => server.wrk.find((run) => run.connections === connections);
    row(`wrk -c${connections} requests/s`, (server) => at(server)?.requestsPerSecond);
    row(`wrk -c${connections} p50 ms`, (server) => at(server)?.latencyMs.p50, 2);
    row(`wrk -c${connections} p99 ms`, (server) => at(server)?.latencyMs.p99, 2);
  }
  const kib = (bytes: number | undefined): string => (bytes === undefined ? "—" : `${(bytes / 1024).toFixed(0)} KiB`);
  out.push(`  smallest -m serving 100 requests (Skiff): ${results.memory.smallest ?? "none"}`);
  out.push(`  sizes: skiff.elf ${kib(results.sizes.skiffElf)} + http-hello.img ${kib(results.sizes.httpHelloImage)}; vmlinuz ${kib(results.sizes.linuxKernel)} + initramfs busybox ${kib(results.sizes.initramfsBusybox)} / with Node ${kib(results.sizes.initramfsNode)}`);
  for (const failure of results.failures) out.push(`  FAILED ${failure}`);
  return out.join("\n");
}

async function main(): Promise<void> {
  const image = path.resolve(flag("--image") ?? paths.image);
  if (!fs.existsSync(image)) throw new Error(`${image} is missing: run \`make build\` first`);
  const tree = path.dirname(path.dirname(image));
  const accel = accelFlag();
  const memory = flag("--mem") ?? "512M";
  const boots = whole("--boots", 3);
  const seconds = whole("--seconds", 10);
  if (process.getuid?.() !== 0) throw new Error("The HTTP benchmark needs root (ip netns, tap devices)");

  log("building build/apps/http-hello.img and the Linux guests' initramfs (Node's is cached after the first run)…");
  const appImage = buildAppImage("http-hello", tree);
  const busybox: LinuxGuest = busyboxHttpdGuest();
  const node: LinuxGuest = nodeHttpGuest();
  const skiffBoot: GuestBoot = { kind: "skiff", image, app: "http-hello", appImage };

  const failures: string[] = [];
  const servers: ServerFigures[] = [];
  const base = { boots, seconds, accel, memory };
  log(`skiff: http-hello, ${boots} boots`);
  servers.push(await measureServer("skiff", skiffBoot, `${path.relative(paths.repoRoot, image)} + apps/http-hello image`, { ...base, wrk: true }, failures));
  log(`node: Linux guest, Node http.createServer, ${boots} boots`);
  servers.push(await measureServer("node", { kind: "linux", guest: node }, `${node.kernelPackage}, ${node.busyboxPackage}, node ${process.version} (host binary + ldd's libraries)`, { ...base, wrk: true }, failures));
  log(`busybox: Linux guest, busybox httpd, ${boots} boots`);
  servers.push(await measureServer("busybox", { kind: "linux", guest: busybox }, `${busybox.kernelPackage}, ${busybox.busyboxPackage} httpd`, { ...base, wrk: false }, failures));
  log("memory: http-hello at decreasing -m");
  const memoryFigures = await smallestMemory(skiffBoot, accel);
  if (memoryFigures.smallest === undefined) failures.push("memory: http-hello did not serve 100 requests at any -m tried");

  const size = (file: string): number => fs.statSync(file).size;
  const sizes = {
    skiffElf: size(image),
    httpHelloImage: size(appImage),
    skiffTotal: size(image) + size(appImage),
    linuxKernel: size(node.kernel),
    initramfsBusybox: size(busybox.initrd),
    initramfsNode: size(node.initrd),
    linuxBusyboxTotal: size(node.kernel) + size(busybox.initrd),
    linuxNodeTotal: size(node.kernel) + size(node.initrd),
  };
  const skiff = servers.find((server) => server.server === "skiff");
  const nodeFigures = servers.find((server) => server.server === "node");
  const busyboxFigures = servers.find((server) => server.server === "busybox");
  const wrkAt = (server: ServerFigures | undefined, connections: number): WrkFigures | undefined => server?.wrk.find((run) => run.connections === connections);
  const ratios = Object.fromEntries(Object.entries({
    bootToFirst200VsNode: ratio(skiff?.bootToFirst200Ms.median, nodeFigures?.bootToFirst200Ms.median),
    bootToFirst200VsBusybox: ratio(skiff?.bootToFirst200Ms.median, busyboxFigures?.bootToFirst200Ms.median),
    requestsPerSecondC10: ratio(wrkAt(skiff, 10)?.requestsPerSecond, wrkAt(nodeFigures, 10)?.requestsPerSecond),
    requestsPerSecondC100: ratio(wrkAt(skiff, 100)?.requestsPerSecond, wrkAt(nodeFigures, 100)?.requestsPerSecond),
    p50C10: ratio(wrkAt(skiff, 10)?.latencyMs.p50, wrkAt(nodeFigures, 10)?.latencyMs.p50),
    p99C10: ratio(wrkAt(skiff, 10)?.latencyMs.p99, wrkAt(nodeFigures, 10)?.latencyMs.p99),
    p50C100: ratio(wrkAt(skiff, 100)?.latencyMs.p50, wrkAt(nodeFigures, 100)?.latencyMs.p50),
    p99C100: ratio(wrkAt(skiff, 100)?.latencyMs.p99, wrkAt(nodeFigures, 100)?.latencyMs.p99),
    sizeVsLinuxNode: ratio(sizes.skiffTotal, sizes.linuxNodeTotal),
    sizeVsLinuxBusybox: ratio(sizes.skiffTotal, sizes.linuxBusyboxTotal),
  }).filter(([, value]) => value !== undefined)) as Record<string, number>;
  const date = new Date().toISOString();
  const results = {
    date,
    host: hostInfo(),
    source: sourceInfo(image, appImage),
    settings: { machine: "q35", accel, memory, boots, wrkSeconds: seconds, wrkConnections: [10, 100], wrkThreads: 1, pollIntervalMs: 10, memorySteps },
    servers,
    memory: memoryFigures,
    sizes,
    ratios,
    failures,
    notes: [
      `every guest under qemu ${accel} on q35 -nodefaults, 1 vCPU, -m ${memory} (the Node initramfs unpacks to ~100 MB), virtio-net-pci on a tap (no vhost) in a private namespace, 10.77.N.0/30, static addresses; host has ${hostInfo().cpus} CPUs`,
      "boot → first 200: from just before qemu is spawned (CLOCK_MONOTONIC) to the first 200 answer of a GET / started every 10 ms from inside the namespace, each on a new connection; a fresh namespace per boot, ARP retried every 10 ms",
      "Skiff boots build/skiff.elf with build/apps/http-hello.img as PVH module 0 (qemu -initrd); the Linux guests boot Debian's kernel with an initramfs holding busybox-static, the virtio-net modules (insmod'ed by /init) and, for Node, the host's node binary with the libraries ldd lists",
      "wrk 4.1 (Debian) in the namespace: -t1, keep-alive, --timeout 10s, --latency; one unmeasured 3 s run first (TCG translates code on first use); measured on the last boot's VM; Node's answer: same body text length, content-type text/plain; charset=utf-8, plus Node's date/connection/keep-alive headers",
      "memory: Skiff's -m going down from 64M, stopping at the first that does not answer 100 keep-alive curl requests; busybox httpd was not load-tested (boot only)",
      "ratios are Skiff ÷ Linux (vs Node unless named): below 1 is better for times, latencies and sizes, above 1 is better for requests/s",
    ],
  };
  const written = writeResults("http", date, results);
  process.stdout.write(`${summary(results)}\n\nwritten: ${written.join(", ")}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
