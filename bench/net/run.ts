/**
 * The network benchmark: Skiff's TCP/IP stack against the Linux guest's, each booted by the
 * same qemu with the same flags (TCG, q35, modern virtio-net-pci) on a tap inside a private
 * network namespace, the host's own Linux TCP on the other side (bench/net/host_peer.ts):
 *   bulk      host → guest and guest → host, BYTES per connection (median of --runs)
 *   connect   sequential short connections to an accept-and-close server, for --seconds
 *   rtt       --round-trips round trips of --message bytes on one connection (Nagle off)
 * Skiff runs apps/bench-tcp; Linux runs bench/net/linux_server.c (the same roles, ports and
 * behaviour) from its initramfs. Ratios are Skiff ÷ Linux. Results: bench/results/
 * net-<date>.json and net-latest.json, and a summary on stdout. Needs root.
 *
 * --rounds N runs the guests in turn N times (Skiff, Linux, Skiff, Linux…): this host's
 * speed drifts within minutes (the Linux guest's round trip has moved between 0.47 and 1.34
 * ms in half an hour), so each round's ratios compare neighbours, and the ratios reported
 * are the medians of the rounds'. The figures shown are the first round's.
 *
 *   npx tsx bench/net/run.ts [--only skiff,linux] [--rounds N] [--bytes N] [--runs N] [--seconds N]
 *       [--round-trips N] [--message N] [--accel tcg|kvm] [--image TREE/build/skiff.elf]
 * --image boots another tree's build (e.g. a clean `git worktree` of HEAD, so a recorded run
 * is not measuring someone's uncommitted work); the results name that tree's commit.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import { startGuest, type GuestName, type GuestVm } from "./guest_vm.ts";
import { measureGuest, type GuestFigures, type MeasureSettings } from "./measure.ts";
import { createBenchNetwork, type BenchNetwork } from "./private_network.ts";
import { accelFlag, flag, whole, writeResults } from "../args.ts";
import { median } from "../http/results.ts";
import { linkState, whereIsTheCpu } from "./post_mortem.ts";

interface Ratios {
  /** Skiff ÷ Linux Mbit/s (target ≥ 0.5). */
  readonly hostToGuest?: number;
  readonly guestToHost?: number;
  /** Skiff ÷ Linux connections per second (target ≥ 0.5, i.e. within 2×). */
  readonly connectionsPerSecond?: number;
  /** Skiff ÷ Linux median round trip (target ≤ 2). */
  readonly roundTripMedian?: number;
  readonly roundTripP90?: number;
}

interface NetResults {
  readonly date: string;
  readonly host: { cpu: string; cpus: number; qemu: string; node: string; kernel: string };
  /** What was measured: HEAD, and the guest-side files that differed from it (the image is built from the working tree). */
  readonly source: { image: string; imageSha256: string; imageBuilt: string; commit: string; uncommitted: string[] };
  readonly settings: MeasureSettings & { machine: string; accel: string; memory: string; guests: string[]; rounds: number };
  /** Every guest's figures, round after round (`round` says which). */
  readonly guests: ReadonlyArray<GuestFigures & { readonly round: number }>;
  /** The medians of the rounds' ratios. */
  readonly ratios: Ratios;
  readonly rounds: ReadonlyArray<{ readonly round: number; readonly ratios: Ratios }>;
  readonly failures: readonly string[];
  readonly notes: readonly string[];
}

function roundRatios(skiff: GuestFigures | undefined, linux: GuestFigures | undefined): Ratios {
  return Object.fromEntries(Object.entries({
    hostToGuest: ratio(skiff?.hostToGuest?.megabitsPerSecond, linux?.hostToGuest?.megabitsPerSecond),
    guestToHost: ratio(skiff?.guestToHost?.megabitsPerSecond, linux?.guestToHost?.megabitsPerSecond),
    connectionsPerSecond: ratio(skiff?.connections?.perSecond, linux?.connections?.perSecond),
    roundTripMedian: ratio(skiff?.roundTrip?.rttMs.median, linux?.roundTrip?.rttMs.median),
    roundTripP90: ratio(skiff?.roundTrip?.rttMs.p90, linux?.roundTrip?.rttMs.p90),
  }).filter(([, value]) => value !== undefined));
}

/** Each ratio's median over the rounds that have it. */
function medianRatios(rounds: readonly Ratios[]): Ratios {
  const keys = ["hostToGuest", "guestToHost", "connectionsPerSecond", "roundTripMedian", "roundTripP90"] as const;
  const out: Record<string, number> = {};
  for (const key of keys) {
    const middle = median(rounds.map((ratios) => ratios[key]).filter((value): value is number => value !== undefined));
    if (middle !== undefined) out[key] = Number(middle.toFixed(3));
  }
  return out;
}

function ratio(skiff: number | undefined, linux: number | undefined): number | undefined {
  return skiff === undefined || linux === undefined || linux === 0 ? undefined : Number((skiff / linux).toFixed(3));
}

function summary(results: NetResults): string {
  const s = results.settings;
  const out = [`network benchmark, ${results.date}, ${s.machine} ${s.accel}, ${results.host.qemu}`];
  const mib = (s.bulkBytes / 1048576).toFixed(0);
  const cell = (value: number | undefined, digits = 1): string => (value === undefined ? "—" : value.toFixed(digits)).padStart(10);
  const figure = (name: string): GuestFigures | undefined => results.guests.find((guest) => guest.guest === name);
  const skiff = figure("skiff");
  const linux = figure("linux");
  const r = results.ratios;
  out.push(`  ${"".padEnd(36)}${"Skiff".padStart(10)}${"Linux".padStart(10)}${"Skiff/Linux".padStart(13)}  target`);
  const row = (what: string, a: number | undefined, b: number | undefined, q: number | undefined, target: string, digits = 1): void => {
    out.push(`  ${what.padEnd(36)}${cell(a, digits)}${cell(b, digits)}${(q === undefined ? "—" : `${q.toFixed(2)}×`).padStart(13)}  ${target}`);
  };
  row(`host → guest, ${mib} MiB, Mbit/s`, skiff?.hostToGuest?.megabitsPerSecond, linux?.hostToGuest?.megabitsPerSecond, r.hostToGuest, "≥ 0.5×");
  row(`guest → host, ${mib} MiB, Mbit/s`, skiff?.guestToHost?.megabitsPerSecond, linux?.guestToHost?.megabitsPerSecond, r.guestToHost, "≥ 0.5×");
  row("connections per second", skiff?.connections?.perSecond, linux?.connections?.perSecond, r.connectionsPerSecond, "≥ 0.5×");
  row("  connect() median, ms", skiff?.connections?.setupMs.median, linux?.connections?.setupMs.median, ratio(skiff?.connections?.setupMs.median, linux?.connections?.setupMs.median), "≤ 2×", 2);
  row(`round trip ${s.messageBytes} B median, ms`, skiff?.roundTrip?.rttMs.median, linux?.roundTrip?.rttMs.median, r.roundTripMedian, "≤ 2×", 2);
  row(`round trip ${s.messageBytes} B p90, ms`, skiff?.roundTrip?.rttMs.p90, linux?.roundTrip?.rttMs.p90, r.roundTripP90, "≤ 2×", 2);
  row("ICMP ping 32 B median, ms", skiff?.ping?.rttMs.median, linux?.ping?.rttMs.median, ratio(skiff?.ping?.rttMs.median, linux?.ping?.rttMs.median), "(stack only)", 2);
  row("boot to listening, ms", skiff?.bootToReadyMs, linux?.bootToReadyMs, undefined, "", 0);
  if (results.rounds.length > 1) {
    out.push(`  ratios above: the medians of ${results.rounds.length} rounds (figures: round 1's); each round's:`);
    const show = (value: number | undefined): string => (value === undefined ? "—" : `${value.toFixed(2)}×`);
    for (const { round, ratios } of results.rounds) {
      out.push(`    round ${round}: host → guest ${show(ratios.hostToGuest)}, guest → host ${show(ratios.guestToHost)}, connections/s ${show(ratios.connectionsPerSecond)}, round trip ${show(ratios.roundTripMedian)}`);
    }
  }
  for (const failure of results.failures) out.push(`  FAILED ${failure}`);
  return out.join("\n");
}

async function runGuest(name: GuestName, network: BenchNetwork, settings: MeasureSettings, accel: Accel, memory: string, image: string): Promise<GuestFigures> {
  process.stderr.write(`${name}: booting (qemu ${accel}, q35, virtio-net on ${network.ifname} in ${network.namespace})…\n`);
  const started = performance.now();
  const gdbDir = fs.mkdtempSync("/tmp/skiff-net-gdb-");
  let vm: GuestVm | undefined;
  try {
    vm = startGuest(name, network, { machine: "q35", accel, memory, image, sourceBytes: settings.bulkBytes, timeoutMs: 1_800_000, readyMs: 240_000, gdbSocket: path.join(gdbDir, "gdb.sock") });
    const figures = await measureGuest(vm, network, settings, started);
    // A failed phase: show what the guest said last (a panic, an exit) beside the failure,
    // and where its CPU is (asleep in hal_wait, or running something that never ends).
    if (figures.failures.length > 0) {
      process.stderr.write(`${name}: console, last lines:\n${vm.lines.slice(-20).join("\n")}\n`);
      const symbols = name === "skiff" ? path.join(path.dirname(image), "skiff.sym.elf") : undefined;
      const cpu = await whereIsTheCpu(vm.gdbSocket!, symbols);
      const link = linkState(network);
      process.stderr.write(`${name}: its CPU after the failure, ${cpu.length} samples:\n${cpu.map((line) => `  ${line}`).join("\n")}\nthe link: ${link.join("\n  ")}\n`);
      return { ...figures, failures: [...figures.failures, `its CPU after the failure (gdbstub samples 200 ms apart): ${cpu.join(" | ")}`, `the link after the failure: ${link.join(" | ")}`] };
    }
    return figures;
  } finally {
    vm?.stop();
    if (vm !== undefined) await vm.result.catch(() => undefined);
    fs.rmSync(gdbDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const image = path.resolve(flag("--image") ?? paths.image);
  if (!fs.existsSync(image)) throw new Error(`${image} is missing: run \`make build\` first`);
  // The tree the image was built in: TREE/build/skiff.elf.
  const tree = path.dirname(path.dirname(image));
  const only = (flag("--only") ?? "skiff,linux").split(",") as GuestName[];
  for (const name of only) if (name !== "skiff" && name !== "linux") throw new Error(`Cannot use --only ${name}: expected skiff and/or linux`);
  const accel = accelFlag();
  const memory = flag("--mem") ?? "256M";
  const settings: MeasureSettings = {
    bulkBytes: whole("--bytes", 32 << 20),
    bulkRuns: whole("--runs", 3),
    connectSeconds: whole("--seconds", 5),
    connectMax: whole("--max-connections", 20_000),
    roundTrips: whole("--round-trips", 1000),
    messageBytes: whole("--message", 32),
  };

  const rounds = whole("--rounds", 1);
  const guests: Array<GuestFigures & { round: number }> = [];
  const failures: string[] = [];
  // One private network per guest, made fresh, so neither sees the other's leftovers (ARP, TIME_WAIT).
  let network: BenchNetwork | undefined;
  const cleanUp = (): void => { void network?.close().finally(() => process.exit(130)); };
  process.once("SIGINT", cleanUp);
  process.once("SIGTERM", cleanUp);
  const perRound: Array<{ round: number; ratios: Ratios }> = [];
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) process.stderr.write(`round ${round} of ${rounds}\n`);
    for (const name of only) {
      network = createBenchNetwork();
      try {
        const figures = await runGuest(name, network, settings, accel, memory, image);
        guests.push({ ...figures, round });
        failures.push(...figures.failures.map((failure) => `${name}${rounds > 1 ? ` (round ${round})` : ""}: ${failure}`));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push(`${name}${rounds > 1 ? ` (round ${round})` : ""}: ${message.split("\n")[0]}`);
        process.stderr.write(`${name} FAILED: ${message}\n`);
      } finally {
        await network.close();
        network = undefined;
      }
    }
    const inRound = (name: GuestName): GuestFigures | undefined => guests.find((guest) => guest.guest === name && guest.round === round);
    perRound.push({ round, ratios: roundRatios(inRound("skiff"), inRound("linux")) });
  }
  const ratios = medianRatios(perRound.map((entry) => entry.ratios));
  const qemuVersion = execFileSync("qemu-system-x86_64", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  const git = (args: string[]): string => execFileSync("git", ["-C", tree, ...args], { encoding: "utf8" });
  const results: NetResults = {
    date: new Date().toISOString(),
    source: {
      image,
      imageSha256: createHash("sha256").update(fs.readFileSync(image)).digest("hex"),
      imageBuilt: fs.statSync(image).mtime.toISOString(),
      commit: git(["rev-parse", "HEAD"]).trim(),
      // Guest-side files that differ from the commit now (the image holds the tree as it was at build time).
      uncommitted: git(["status", "--porcelain", "--", "kernel-ts", "shim", "apps"]).split("\n").filter((line) => line !== ""),
    },
    host: { cpu: os.cpus()[0]?.model ?? "unknown", cpus: os.cpus().length, qemu: qemuVersion, node: process.version, kernel: os.release() },
    settings: { ...settings, machine: "q35", accel, memory, guests: only, rounds },
    guests,
    ratios,
    rounds: perRound,
    failures,
    notes: [
      `both guests under qemu ${accel} on q35 -nodefaults, 1 vCPU, -m ${memory}, virtio-net-pci (disable-legacy=on) on a tap (no vhost) in a private namespace, 10.77.N.0/30; host has ${os.cpus().length} CPUs`,
      "host side: Linux TCP in the namespace, bench/net/host_peer.ts (Node); guests: apps/bench-tcp on Skiff, bench/net/linux_server.c (static musl binary, one process, one connection at a time) on the Linux guest",
      "every role is run once unmeasured first (TCG translates code on first use); bulk figures are the median of the runs, timed on the host from connect() to the guest's close (host → guest) or to the last byte (guest → host)",
      "connections: sequential, each connect → guest closes → host closes; round trips: one connection, TCP_NODELAY on both sides, after 50 unmeasured",
      "ping: 200 ICMP echoes of 32 B, 20 ms apart, after the TCP roles: the stack's turnaround without TCP or the app, to tell the two apart",
      "ratios are Skiff ÷ Linux: above 1 is better for Mbit/s and connections/s, below 1 is better for round-trip times",
      "with --rounds N the guests run in turn N times; ratios are the medians of the rounds' (each round's in `rounds`), figures are shown for round 1",
    ],
  };
  const files = writeResults("net", results.date, results);
  process.stdout.write(`${summary(results)}\n\nwritten: ${files.join(", ")}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
