/**
 * The kv benchmark: Skiff's apps/kv (a memcached text-protocol server, booted from
 * build/apps/kv.img, env.memory_mb=16) against Debian's memcached (-m 16, the host's binary
 * with the libraries ldd lists) in the Linux guest, both booted by the same qemu with the same
 * flags (TCG, q35, 1 vCPU, -m --mem) on a tap in a private namespace. The load is
 * libmemcached-tools' memcslap from inside the namespace — the same generated keys and values
 * for both — bounded in count (--concurrency × --execute-number operations) and in time:
 *   set   memcslap --test=set, ops/s from "Time to set N keys by C threads: S seconds"
 *   get   memcslap --test=get (it loads its keys first, untimed), ops/s likewise
 * after one small unmeasured run of each (TCG translates code on first use).
 * Results: bench/results/kv-<date>.json and kv-latest.json; a table on stdout. Needs root.
 *
 *   npx tsx bench/kv/run.ts [--concurrency N] [--execute-number N] [--mem 256M] [--accel tcg|kvm] [--image TREE/build/skiff.elf]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import { accelFlag, flag, whole, writeResults } from "../args.ts";
import { buildAppImage } from "../app_image.ts";
import { execInNamespace } from "../http/exec_in_namespace.ts";
import { bootGuest, type GuestBoot, type RunningGuest } from "../http/guest.ts";
import { hostInfo, ratio, sourceInfo } from "../http/results.ts";
import { dynamicProgramFiles } from "../linux-guest/dynamic_program.ts";
import { prepareLinuxGuest, virtioNetModules } from "../linux-guest/mod.ts";
import { createBenchNetwork, type BenchNetwork } from "../net/private_network.ts";

type ServerName = "skiff" | "memcached";
const PORT = 11211;
const MEMORY_MB = 16;

interface SlapFigures { readonly test: "set" | "get"; readonly operations: number; readonly clients: number; readonly seconds: number; readonly operationsPerSecond: number }
interface ServerFigures { readonly server: ServerName; readonly label: string; readonly bootToReadyMs?: number; readonly runs: readonly SlapFigures[] }

const log = (text: string): void => { process.stderr.write(`${text}\n`); };

/** memcslap's "Time to set  10000 keys by 10 threads:  0.200 seconds." */
export function parseMemcslap(output: string, test: "set" | "get"): SlapFigures {
  const match = new RegExp(`Time to ${test}\\s+(\\d+) keys by\\s+(\\d+) threads:\\s+([0-9.]+) seconds`).exec(output);
  if (match === null) throw new Error(`Cannot parse memcslap's output: no "Time to ${test} … keys by … threads" line in ${JSON.stringify(output.slice(0, 400))}`);
  const operations = Number(match[1]);
  const seconds = Number(match[3]);
  // memcslap exits 0 and reports "0 keys" when it could not reach the server.
  if (operations === 0 || seconds === 0) throw new Error(`memcslap did no ${test} operations (is the server listening?): ${JSON.stringify(output.slice(0, 300))}`);
  return { test, operations, clients: Number(match[2]), seconds, operationsPerSecond: Number((operations / seconds).toFixed(1)) };
}

async function memcslap(network: BenchNetwork, test: "set" | "get", concurrency: number, executeNumber: number, timeoutMs: number): Promise<SlapFigures> {
  const result = await execInNamespace(network, ["memcslap", `--servers=${network.guestAddress}:${PORT}`, `--test=${test}`, `--concurrency=${concurrency}`, `--execute-number=${executeNumber}`], timeoutMs);
  if (result.status !== 0) throw new Error(`memcslap --test=${test} failed (status ${result.status}${result.timedOut ? `, killed after ${timeoutMs} ms` : ""}): ${(result.stderr + result.stdout).trim().slice(0, 300)}`);
  return parseMemcslap(result.stdout, test);
}

async function measureServer(server: ServerName, boot: GuestBoot, label: string, ready: RegExp, settings: { accel: Accel; memory: string; concurrency: number; executeNumber: number; timeoutMs: number }, failures: string[]): Promise<ServerFigures> {
  const network = createBenchNetwork();
  let vm: RunningGuest | undefined;
  const runs: SlapFigures[] = [];
  let bootToReadyMs: number | undefined;
  try {
    vm = bootGuest(boot, network, { accel: settings.accel, memory: settings.memory, timeoutMs: 1_800_000 });
    await vm.waitForLine(ready, 240_000);
    bootToReadyMs = Math.round(Number(process.hrtime.bigint() - vm.startedNs) / 1e6);
    // The ready line comes before memcached listens: retry the unmeasured warm-up until it answers (bounded).
    let warm = false;
    for (let attempt = 0; attempt < 30 && !warm; attempt++) {
      try {
        await memcslap(network, "set", 2, 20, 60_000);
        await memcslap(network, "get", 2, 20, 60_000);
        warm = true;
      } catch (error) {
        if (attempt === 29) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    log(`  ${server}: ready after ${bootToReadyMs} ms, warmed up`);
    for (const test of ["set", "get"] as const) {
      try {
        const figures = await memcslap(network, test, settings.concurrency, settings.executeNumber, settings.timeoutMs);
        runs.push(figures);
        log(`  ${server}: ${test}: ${figures.operations} ops by ${figures.clients} clients in ${figures.seconds} s = ${figures.operationsPerSecond} ops/s`);
      } catch (error) {
        failures.push(`${server}: ${test}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push(`${server}: ${message.split("\n")[0]}`);
    log(`  ${server} FAILED: ${message}`);
  } finally {
    await vm?.stop();
    await network.close();
  }
  return { server, label, ...(bootToReadyMs !== undefined ? { bootToReadyMs } : {}), runs };
}

async function main(): Promise<void> {
  const image = path.resolve(flag("--image") ?? paths.image);
  if (!fs.existsSync(image)) throw new Error(`${image} is missing: run \`make build\` first`);
  const tree = path.dirname(path.dirname(image));
  const accel = accelFlag();
  const memory = flag("--mem") ?? "256M";
  const concurrency = whole("--concurrency", 10);
  const executeNumber = whole("--execute-number", 200);
  const timeoutMs = whole("--timeout-seconds", 300) * 1000;
  if (process.getuid?.() !== 0) throw new Error("The kv benchmark needs root (ip netns, tap devices)");

  const appImage = buildAppImage("kv", tree);
  const memcachedVersion = execFileSync("memcached", ["-V"], { encoding: "utf8" }).trim();
  const linux = prepareLinuxGuest({
    modules: virtioNetModules,
    run: `ip link set lo up && ip addr add $bench_ip dev eth0 && ip link set eth0 up && ip route add default via $bench_gw && echo "linux-kv: starting memcached" && memcached -u root -m ${MEMORY_MB} -p ${PORT} -U 0`,
    // memcached run as root insists on -u, which it looks up with getpwnam: /etc/passwd names root.
    files: [...dynamicProgramFiles("/usr/bin/memcached", "memcached"), { path: "etc/passwd", data: Buffer.from("root:x:0:0:root:/:/bin/sh\n") }],
  });
  const settings = { accel, memory, concurrency, executeNumber, timeoutMs };
  const failures: string[] = [];
  const servers: ServerFigures[] = [];
  log("skiff: apps/kv");
  servers.push(await measureServer("skiff", { kind: "skiff", image, app: "kv", appImage, extra: `env.memory_mb=${MEMORY_MB}` }, `${path.relative(paths.repoRoot, image)} + apps/kv image, env.memory_mb=${MEMORY_MB}`, /^kv: listening on /, settings, failures));
  log("memcached: Linux guest");
  servers.push(await measureServer("memcached", { kind: "linux", guest: linux }, `${linux.kernelPackage}, ${linux.busyboxPackage}, ${memcachedVersion} -m ${MEMORY_MB} (host binary + ldd's libraries, default 4 threads)`, /^linux-kv: starting memcached/, settings, failures));

  const at = (name: ServerName, test: "set" | "get"): number | undefined => servers.find((server) => server.server === name)?.runs.find((run) => run.test === test)?.operationsPerSecond;
  const ratios = Object.fromEntries(Object.entries({ set: ratio(at("skiff", "set"), at("memcached", "set")), get: ratio(at("skiff", "get"), at("memcached", "get")) }).filter(([, value]) => value !== undefined));
  const date = new Date().toISOString();
  const results = {
    date,
    host: hostInfo(),
    source: sourceInfo(image, appImage),
    settings: { machine: "q35", accel, memory, memoryMb: MEMORY_MB, concurrency, executeNumber, operationsPerTest: concurrency * executeNumber, timeoutMs },
    servers,
    ratios,
    failures,
    notes: [
      `both guests under qemu ${accel} on q35 -nodefaults, 1 vCPU, -m ${memory}, virtio-net-pci on a tap (no vhost) in a private namespace, 10.77.N.0/30, static addresses`,
      `load: memcslap (libmemcached-tools, Debian 12) in the namespace, text protocol, ${concurrency} clients × ${executeNumber} operations per test, its own generated keys and values (the same for both servers); ops/s = operations ÷ memcslap's own timing`,
      "memcached runs with its defaults apart from -m, -p, -U 0 (no UDP) and -u root (the initramfs has no other user); it starts 4 worker threads on the 1 vCPU",
      "ratios are Skiff ÷ memcached: above 1 is better",
    ],
  };
  const written = writeResults("kv", date, results);
  const cell = (value: number | undefined): string => (value === undefined ? "—" : value.toFixed(1)).padStart(12);
  const out = [`kv benchmark, ${date}, q35 ${accel}, -m ${memory}, memcslap ${concurrency} clients × ${executeNumber}`];
  out.push(`  ${"".padEnd(20)}${"Skiff kv".padStart(12)}${"memcached".padStart(12)}${"Skiff/memc".padStart(12)}`);
  for (const test of ["set", "get"] as const) {
    const q = ratio(at("skiff", test), at("memcached", test));
    out.push(`  ${`${test} ops/s`.padEnd(20)}${cell(at("skiff", test))}${cell(at("memcached", test))}${(q === undefined ? "—" : `${q.toFixed(2)}×`).padStart(12)}`);
  }
  for (const failure of failures) out.push(`  FAILED ${failure}`);
  process.stdout.write(`${out.join("\n")}\n\nwritten: ${written.join(", ")}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
