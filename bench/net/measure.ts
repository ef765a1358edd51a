/**
 * Runs one guest through the benchmark's roles from the host side of the private network:
 * reachability (ping), a warm-up, bulk TCP both ways, connections per second, and the
 * small-message round trip. Each measurement is host_peer.ts in the namespace, bounded in
 * count and time; a failed measurement is recorded and the rest still run.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { paths } from "../../host/launch/paths.ts";
import { execInNamespace } from "../http/exec_in_namespace.ts";
import type { GuestVm } from "./guest_vm.ts";
import type { BenchNetwork } from "./private_network.ts";

export const ports = { sink: 5001, source: 5002, echo: 5003, accept: 5004, stop: 5009 } as const;

export interface Spread {
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

export interface BulkRun {
  readonly bytes: number;
  readonly ms: number;
  readonly megabitsPerSecond: number;
}

export interface GuestFigures {
  readonly guest: string;
  readonly label: string;
  readonly bootToReadyMs: number;
  /** Host → guest (the guest's sink), every run; `megabitsPerSecond` is their median. */
  readonly hostToGuest?: { readonly runs: readonly BulkRun[]; readonly megabitsPerSecond: number };
  readonly guestToHost?: { readonly runs: readonly BulkRun[]; readonly megabitsPerSecond: number };
  readonly connections?: { readonly connections: number; readonly ms: number; readonly perSecond: number; readonly setupMs: Spread };
  readonly roundTrip?: { readonly roundTrips: number; readonly warmUp: number; readonly size: number; readonly rttMs: Spread };
  /** ICMP echo from the host (ping -i 0.02): the stack's own turnaround, no TCP and no app. */
  readonly ping?: { readonly replies: number; readonly sent: number; readonly rttMs: Spread };
  /** Skiff only: the kernel's counters at the end (its `skiff: net stats` line, flag netstats). */
  readonly netStats?: unknown;
  readonly failures: readonly string[];
}

export interface MeasureSettings {
  readonly bulkBytes: number;
  readonly bulkRuns: number;
  readonly connectSeconds: number;
  readonly connectMax: number;
  readonly roundTrips: number;
  readonly messageBytes: number;
}

const peerScript = path.join(paths.repoRoot, "bench", "net", "host_peer.ts");
/** tsx's loader by absolute URL, so the peer starts from any working directory. */
const tsxLoader = pathToFileURL(path.join(paths.repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** Runs host_peer.ts MODE ARGS… inside the namespace; its JSON line, or an Error. */
/**
 * `count` ICMP echo requests of 32 bytes, 10 ms apart, from the host side: the load that
 * exercises the stack and the loop's turn alone (bench/icount's and bench/profile's ping).
 * How many were answered, and ping's status (1 when some were not); an Error when ping
 * reported no count at all.
 */
export async function pingLoad(network: BenchNetwork, count: number, timeoutMs: number): Promise<{ received: number; status: number | null }> {
  const result = await execInNamespace(network, ["ping", "-q", "-c", String(count), "-i", "0.01", "-W", "2", "-s", "32", network.guestAddress], timeoutMs);
  const match = /(\d+) received/.exec(result.stdout);
  if (match === null) throw new Error(`ping failed (status ${result.status}): ${(result.stderr + result.stdout).trim().slice(0, 300)}`);
  return { received: Number(match[1]), status: result.status };
}

export function peer(network: BenchNetwork, args: readonly (string | number)[], timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = network.spawn([process.execPath, "--import", tsxLoader, peerScript, ...args.map(String), String(timeoutMs)]);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => { stdout += chunk.toString("utf8"); });
    child.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString("utf8"); });
    // host_peer bounds itself; this is the backstop (tsx start-up included).
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs + 15_000);
    child.once("close", (status) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop() ?? "";
      let parsed: Record<string, unknown> | undefined;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        parsed = undefined;
      }
      if (status === 0 && parsed !== undefined && parsed.error === undefined) resolve(parsed);
      else reject(new Error(`host_peer ${args.join(" ")}: ${typeof parsed?.error === "string" ? parsed.error : `status ${status}`} ${stderr.trim().slice(0, 400)}`.trim()));
    });
  });
}

async function waitReachable(network: BenchNetwork): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    if (network.exec(["ping", "-c", "1", "-W", "1", network.guestAddress], 5_000).status === 0) return;
  }
  throw new Error(`${network.guestAddress} does not answer ping after 30 tries`);
}

/**
 * `count` pings 20 ms apart from the host side; each reply's time=… parsed (ping's summary
 * has no median). Spawned, not run synchronously: a blocked event loop stops
 * draining the guest's serial console, and a guest printing meanwhile would stall on its
 * UART and miss the pings (seen when the guest logged a long line as the ping started).
 */
async function pingSpread(network: BenchNetwork, count: number): Promise<{ replies: number; sent: number; rttMs: Spread }> {
  const child = network.spawn(["ping", "-c", String(count), "-i", "0.02", "-W", "2", "-s", "32", network.guestAddress]);
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr?.resume();
  const timer = setTimeout(() => child.kill(), count * 1000 + 10_000);
  await new Promise<void>((resolve) => child.on("close", () => resolve()));
  clearTimeout(timer);
  const times = [...stdout.matchAll(/time=([0-9.]+) ms/g)].map((match) => Number(match[1]));
  if (times.length === 0) throw new Error(`no ping replies: ${stdout.trim().split("\n").pop() ?? ""}`);
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { replies: times.length, sent: count, rttMs: { median: at(0.5), p90: at(0.9), min: sorted[0]!, max: sorted[sorted.length - 1]!, mean: round(times.reduce((a, b) => a + b, 0) / times.length, 3) } };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

export async function measureGuest(vm: GuestVm, network: BenchNetwork, settings: MeasureSettings, bootStartedMs: number): Promise<GuestFigures> {
  const failures: string[] = [];
  const log = (text: string): void => { process.stderr.write(`  ${vm.name}: ${text}\n`); };
  const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
      failures.push(`${what}: ${message}`);
      log(`${what} FAILED: ${message}`);
      return undefined;
    }
  };
  await vm.ready;
  const bootToReadyMs = Math.round(performance.now() - bootStartedMs);
  await waitReachable(network);
  log(`ready after ${bootToReadyMs} ms; warming up`);
  // TCG translates each code path on first use: run every role once, unmeasured.
  const bulkTimeout = Math.max(120_000, settings.bulkBytes / 1000); // ≥ 1 MB/s or it is a failure
  await attempt("warm-up", async () => {
    await peer(network, ["send", network.guestAddress, ports.sink, 1 << 20], 60_000);
    await peer(network, ["pingpong", network.guestAddress, ports.echo, 20, settings.messageBytes], 60_000);
    await peer(network, ["connect", network.guestAddress, ports.accept, 1, 20], 60_000);
  });

  const bulk = async (mode: "send" | "receive", port: number): Promise<{ runs: BulkRun[]; megabitsPerSecond: number } | undefined> => {
    const runs: BulkRun[] = [];
    for (let run = 0; run < settings.bulkRuns; run++) {
      const result = await attempt(`${mode} ${settings.bulkBytes} bytes, run ${run + 1}`, () => peer(network, [mode, network.guestAddress, port, settings.bulkBytes], bulkTimeout));
      if (result === undefined) break;
      const figures = { bytes: Number(result.bytes), ms: round(Number(result.ms), 1), megabitsPerSecond: round(Number(result.megabitsPerSecond)) };
      log(`${mode === "send" ? "host→guest" : "guest→host"} ${figures.bytes} bytes in ${figures.ms} ms = ${figures.megabitsPerSecond} Mbit/s`);
      runs.push(figures);
    }
    return runs.length === 0 ? undefined : { runs, megabitsPerSecond: round(median(runs.map((run) => run.megabitsPerSecond))) };
  };
  const hostToGuest = await bulk("send", ports.sink);
  const guestToHost = await bulk("receive", ports.source);

  const connections = await attempt("connections per second", () => peer(network, ["connect", network.guestAddress, ports.accept, settings.connectSeconds, settings.connectMax], settings.connectSeconds * 1000 + 60_000));
  if (connections !== undefined) log(`${connections.connections} connections in ${round(Number(connections.ms), 0)} ms = ${round(Number(connections.perSecond), 1)}/s`);
  const roundTrip = await attempt("round trips", () => peer(network, ["pingpong", network.guestAddress, ports.echo, settings.roundTrips, settings.messageBytes], 300_000));
  if (roundTrip !== undefined) log(`${settings.roundTrips} round trips of ${settings.messageBytes} B: median ${(roundTrip.rttMs as Spread).median} ms, p90 ${(roundTrip.rttMs as Spread).p90} ms`);

  const ping = await attempt("ping", () => pingSpread(network, 200));
  if (ping !== undefined) log(`${ping.replies}/${ping.sent} ping replies of 32 B: median ${ping.rttMs.median} ms, p90 ${ping.rttMs.p90} ms`);

  await attempt("stop", () => peer(network, ["stop", network.guestAddress, ports.stop], 30_000));
  await Promise.race([vm.result, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  const statsLine = vm.lines.find((line) => line.startsWith("skiff: net stats "));
  const netStats = statsLine === undefined ? undefined : JSON.parse(statsLine.slice("skiff: net stats ".length)) as unknown;

  return {
    guest: vm.name,
    label: vm.label,
    bootToReadyMs,
    ...(hostToGuest !== undefined ? { hostToGuest } : {}),
    ...(guestToHost !== undefined ? { guestToHost } : {}),
    ...(connections !== undefined ? { connections: { connections: Number(connections.connections), ms: round(Number(connections.ms), 1), perSecond: round(Number(connections.perSecond), 1), setupMs: connections.setupMs as Spread } } : {}),
    ...(ping !== undefined ? { ping } : {}),
    ...(roundTrip !== undefined ? { roundTrip: roundTrip as unknown as NonNullable<GuestFigures["roundTrip"]> } : {}),
    ...(netStats !== undefined ? { netStats } : {}),
    failures,
  };
}
