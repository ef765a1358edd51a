/**
 * Profiles Skiff's JS under a benchmark's load: boots the guest with `profile=` on the
 * command line (kernel-ts/profile.ts, the shim's sampler in shim/js/hal_profile.c), drives
 * one workload from the host side of a private network while the guest samples, and writes
 * the guest's folded stacks to bench/results/profile-WORKLOAD-<date>.folded (flamegraph.pl
 * and speedscope read them) and a table of the functions with the most time to stdout.
 *
 *   http     apps/http-hello under wrk -t1 -c10 (--connections N for another -c; bench/http's wrk run)
 *   rtt      apps/bench-tcp's echo: 32-byte round trips on one connection (bench/net's pingpong)
 *   send     apps/bench-tcp's sink: host → guest bulk, 8 MB per connection
 *   receive  apps/bench-tcp's source: guest → host bulk, 8 MB per connection
 *   connect  apps/bench-tcp's accept-and-close: connections one after the other (bench/net's connections/s)
 *   kv       apps/kv under memcslap --test=set, 10 clients × 200 (bench/kv's load)
 *   kvget    apps/kv under memcslap --test=get, 10 clients × 200 (memcslap stores its keys first)
 *   ping     ICMP echo requests from the host, 10 ms apart (bench/icount's ping): the stack and the
 *            loop's turn alone, with no socket or app in the path
 *
 * The profile starts --warmup seconds after boot (TCG translates code on first use; the load
 * runs meanwhile) and lasts --seconds. Sampling makes the guest slower (every 50 branches
 * the interrupt handler reads the clock): read the shares, not the absolute times.
 *
 * --native samples the C code instead, from outside the guest (gdb_sampler.ts): qemu's gdbstub
 * stops the VM every --period µs of the host's time (jittered), reads its instruction pointer
 * and frame-pointer chain, and names them from build/skiff.sym.elf (or the --image's
 * skiff.sym.elf). Seconds are the host's; the guest runs its ordinary build, unprofiled. The
 * folded file is profile-WORKLOAD-<date>-native.folded; its µs are host time.
 *
 * --icount runs qemu with `-icount shift=0`: while the guest runs, its clock counts
 * instructions (1 ns each), so the profile's µs are thousands of guest instructions, the
 * host's load does not move them, and a device access costs what the guest executes, not
 * the time qemu takes to emulate it. Asleep, the clock follows the host's. `wait` itself
 * gets a few % (the instructions from the last poll to the halt, and it seems some of the
 * sleep): leave it out of the shares. Seconds (--warmup, --seconds) are the guest's,
 * slower than the host's while it is busy.
 *
 *   npx tsx bench/profile/run.ts http|rtt|send|receive|connect|kv|kvget|ping [--seconds N] [--warmup N] [--period US] [--top N]
 *       [--image TREE/build/skiff.elf] [--icount | --native] [--connections N]
 */
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { paths } from "../../host/launch/paths.ts";
import { flag, resultsDir, whole } from "../args.ts";
import { buildAppImage } from "../app_image.ts";
import { bootGuest, type GuestBoot } from "../http/guest.ts";
import { execInNamespace } from "../http/exec_in_namespace.ts";
import { runWrk } from "../http/wrk.ts";
import { peer, pingLoad, ports } from "../net/measure.ts";
import { createBenchNetwork, type BenchNetwork } from "../net/private_network.ts";
import { profileFromConsole, report, type FoldedProfile } from "./folded.ts";
import { GdbSampler, Symbolizer } from "./gdb_sampler.ts";

type Workload = "http" | "rtt" | "send" | "receive" | "connect" | "kv" | "kvget" | "ping";
const workloads: readonly Workload[] = ["http", "rtt", "send", "receive", "connect", "kv", "kvget", "ping"];

/** Runs `workload` in bounded rounds until `done()` or `untilMs` (Date.now()) has passed; rounds last at most 10 s. */
async function drive(workload: Workload, network: BenchNetwork, done: () => boolean, untilMs: number, connections: number): Promise<number> {
  let rounds = 0;
  let failedInARow = 0;
  while (!done() && Date.now() < untilMs && rounds < 1000) {
    const left = Math.max(1, Math.min(10, Math.ceil((untilMs - Date.now()) / 1000)));
    try {
      await driveOnce(workload, network, left, connections);
      failedInARow = 0;
    } catch (error) {
      // A round can fail without the guest being at fault: the namespace's ARP retransmits
      // every 10 ms (private_network.ts), so a guest that stalls for tens of ms under the
      // profiler or icount is "unreachable" for a moment. Say so and go on; five in a row end it.
      process.stderr.write(`profile: a ${workload} round failed (${error instanceof Error ? error.message : String(error)})\n`);
      if (++failedInARow >= 5) throw error;
    }
    rounds++;
  }
  return rounds;
}

/** One round of `workload`'s load: at most `left` seconds where the load is timed. */
async function driveOnce(workload: Workload, network: BenchNetwork, left: number, connections: number): Promise<void> {
  switch (workload) {
    case "http": await runWrk(network, `http://${network.guestAddress}:8080/`, connections, left); return;
    case "rtt": await peer(network, ["pingpong", network.guestAddress, ports.echo, 200, 32], 120_000); return;
    case "send": await peer(network, ["send", network.guestAddress, ports.sink, 8 << 20], 120_000); return;
    case "receive": await peer(network, ["receive", network.guestAddress, ports.source, 8 << 20], 120_000); return;
    case "connect": await peer(network, ["connect", network.guestAddress, ports.accept, left, 5000], 120_000); return;
    case "ping": {
      const { received, status } = await pingLoad(network, Math.max(1, left * 50), 120_000);
      if (status !== 0) throw new Error(`ping failed (status ${status}): ${received} of ${Math.max(1, left * 50)} answered`);
      return;
    }
    case "kv":
    case "kvget": await execInNamespace(network, ["memcslap", `--servers=${network.guestAddress}:11211`, `--test=${workload === "kv" ? "set" : "get"}`, "--concurrency=10", "--execute-number=200"], 120_000); return;
  }
}

async function main(): Promise<void> {
  const workload = process.argv[2] as Workload;
  if (!workloads.includes(workload)) throw new Error(`Usage: bench/profile/run.ts ${workloads.join("|")} [--seconds N] [--warmup N] [--period US] [--top N] [--image ELF] [--icount | --native] [--connections N]`);
  const seconds = whole("--seconds", 20);
  const warmup = whole("--warmup", 10);
  const period = whole("--period", 100);
  const top = whole("--top", 30);
  const icount = process.argv.includes("--icount");
  const native = process.argv.includes("--native");
  if (icount && native) throw new Error("--icount and --native exclude each other: the gdbstub's stops are host time");
  const connections = whole("--connections", 10);
  if (process.getuid?.() !== 0) throw new Error("Profiling under load needs root (ip netns, tap devices)");
  const image = path.resolve(flag("--image") ?? paths.image);
  if (!fs.existsSync(image)) throw new Error(`${image} is missing: run \`make build\` first`);

  const profileArgs = native ? "" : `profile=${seconds} profilestart=${warmup} profileperiod=${period}`;
  const symbols = path.join(path.dirname(image), "skiff.sym.elf");
  const symbolizer = native ? new Symbolizer(symbols) : undefined;
  const gdbSocket = native ? path.join(fs.mkdtempSync("/tmp/skiff-gdb-"), "gdb.sock") : undefined;
  let boot: GuestBoot;

  if (workload === "http") {
    boot = { kind: "skiff", image, app: "http-hello", appImage: buildAppImage("http-hello"), extra: profileArgs };
  } else if (workload === "kv" || workload === "kvget") {
    boot = { kind: "skiff", image, app: "kv", appImage: buildAppImage("kv"), extra: `env.memory_mb=16 ${profileArgs}` };
  } else {
    boot = { kind: "skiff", image, app: "bench-tcp", extra: `env.bytes=${8 << 20} ${profileArgs}` };
  }
  // The load runs until the profile ends: the guest's seconds, which under --icount pass
  // slower than the host's while it is busy (a few times slower under TCG).
  const limitMs = (icount ? 10 : 1) * (warmup + seconds) * 1000 + 180_000;
  const network = createBenchNetwork();
  const guest = bootGuest(boot, network, {
    accel: "tcg", memory: "512M", timeoutMs: limitMs + 240_000, ...(icount ? { icountShift: 0 } : {}),
    ...(gdbSocket !== undefined ? { gdbSocket } : {}),
  });
  const cleanup = async (): Promise<void> => {
    await guest.stop();
    await network.close();
    if (gdbSocket !== undefined) fs.rmSync(path.dirname(gdbSocket), { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));
  try {
    const ready = { http: /^skiff: app http-hello serving http:/, kv: /^kv: listening on /, kvget: /^kv: listening on / }[workload as string] ?? /^bench-tcp: listening on /;
    await guest.waitForLine(ready, 240_000);
    process.stderr.write(native
      ? `profile: ${workload} load while qemu's gdbstub samples the guest (${warmup} s warm-up, ${seconds} s sampled, host time)…\n`
      : `profile: ${workload} load until the guest prints its profile (${warmup} s warm-up, ${seconds} s sampled)…\n`);
    let profileEnded = false;
    const ended: Promise<FoldedProfile & { leaves?: Map<bigint, number> }> = symbolizer !== undefined && gdbSocket !== undefined
      ? sampleNative(gdbSocket, symbolizer, warmup, seconds, period)
      : guest.waitForLine(/^skiff: profile end$/, limitMs).then(() => profileFromConsole(guest.lines));
    void ended.then(() => { profileEnded = true; }, () => { profileEnded = true; });
    const rounds = await drive(workload, network, () => profileEnded, Date.now() + limitMs, connections);
    const profile = await ended;
    const stamp = new Date().toISOString().replace(/:/g, "").replace(/\.\d+Z$/, "Z");
    const file = path.join(resultsDir, `profile-${workload}-${stamp}${native ? "-native" : icount ? "-icount" : ""}.folded`);
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(file, foldedText(profile));
    const lines = profile.leaves !== undefined ? `\n\n${hottestLines(symbols, profile.leaves, top)}` : "";
    // The native profile's stacks are C, hal_wait among them (the guest asleep), in host time.
    const table = native
      ? report(profile, top).replace(/^sampled .*$/m, `${profile.summary.samples ?? 0} stops of the VM over ${seconds} s of host time; hal_wait is the guest asleep`)
      : report(profile, top);
    process.stdout.write(`${workload}: ${rounds} load rounds; image ${path.relative(paths.repoRoot, image)}\n${table}${lines}\n\nwritten: ${path.relative(paths.repoRoot, file)}\n`);
  } catch (error) {
    process.stderr.write(`profile: the guest's last console lines:\n${guest.lines.slice(-20).join("\n")}\n`);
    throw error;
  } finally {
    await cleanup();
  }
}

/**
 * Samples the VM through its gdbstub for `seconds` after `warmup`, about every `periodUs`
 * (jittered ½–1½): the folded stacks, and the innermost address of each sample.
 */
async function sampleNative(socketPath: string, symbolizer: Symbolizer, warmup: number, seconds: number, periodUs: number): Promise<FoldedProfile & { leaves: Map<bigint, number> }> {
  const gdb = await GdbSampler.connect(socketPath, 30_000);
  try {
    await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
    const counts = new Map<string, number>();
    const leaves = new Map<bigint, number>();
    const until = Date.now() + seconds * 1000;
    let samples = 0;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.round((periodUs * (0.5 + Math.random())) / 1000))));
      const pcs = await gdb.sample(64);
      const key = pcs.map((pc) => symbolizer.name(pc)).reverse().join(";");
      counts.set(key, (counts.get(key) ?? 0) + 1);
      leaves.set(pcs[0]!, (leaves.get(pcs[0]!) ?? 0) + 1);
      samples++;
    }
    const usEach = Math.round((seconds * 1e6) / Math.max(1, samples));
    return {
      summary: { samples, period_us: usEach },
      stacks: [...counts].map(([stack, count]) => ({ frames: stack.split(";"), us: count * usEach })),
      leaves,
    };
  } finally {
    gdb.close();
  }
}

/**
 * The `top` source lines and (inlined) functions with the most samples, as tables: addr2line
 * on `elf` names each innermost address's line and the innermost function inlined there,
 * which the symbol table cannot tell apart from its caller.
 */
function hottestLines(elf: string, leaves: Map<bigint, number>, top: number): string {
  const addresses = [...leaves.keys()];
  const text = execFileSync("addr2line", ["-a", "-f", "-i", "-e", elf], { input: addresses.map((pc) => `0x${pc.toString(16)}`).join("\n"), encoding: "utf8", maxBuffer: 64 << 20 });
  const lines = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  // Per address: the address, then (function, file:line) pairs from the innermost inlined function out.
  const blocks = text.split(/^(0x[0-9a-f]+)\n/m).slice(1);
  for (let i = 0; i + 1 < blocks.length; i += 2) {
    const count = leaves.get(BigInt(blocks[i]!)) ?? 0;
    const rows = blocks[i + 1]!.trimEnd().split("\n");
    const fn = rows[0] ?? "??";
    const line = (rows[1] ?? "??").replace(/ \(discriminator \d+\)$/, "").replace(/^.*\/build\//, "build/").replace(/^.*\/shim\//, "shim/");
    lines.set(line, (lines.get(line) ?? 0) + count);
    functions.set(fn, (functions.get(fn) ?? 0) + count);
    total += count;
  }
  const table = (map: Map<string, number>): string[] => [...map].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, count]) => `${((100 * count) / Math.max(1, total)).toFixed(1).padStart(5)} %  ${name}`);
  return ["innermost function (inlined ones apart):", ...table(functions), "", "hottest lines:", ...table(lines)].join("\n");
}

function foldedText(profile: FoldedProfile): string {
  const summary = Object.entries(profile.summary).map(([key, value]) => `${key}=${value}`).join(" ");
  return [`# skiff profile: ${summary}`, ...profile.stacks.map((stack) => `${stack.frames.join(";")} ${stack.us}`)].join("\n") + "\n";
}

main().catch((error: unknown) => {
  process.stderr.write(`profile: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
