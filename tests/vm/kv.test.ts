/**
 * The kv app (a memcached server) in a Skiff VM under qemu TCG, on a tap in a private
 * network namespace (tests/helpers/netns.ts), driven from Linux by real memcached clients:
 * Debian's libmemcached-tools (memccapable's ASCII checks, memccp/memccat bit-exact,
 * memcstat, memcslap with four threads), eviction under a small env.memory_mb, and the
 * protocol corpus (tests/unit/kv/corpus.ts, memcached 1.6.18's bytes) replayed over
 * Linux's TCP, whole and in 7-byte writes. Root only (as CI runs); one VM at a time, like
 * net_interop: the guest is slow under TCG and the machine has two cores.
 */
import test from "ava";
import type { ExecutionContext } from "ava";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrivateNetwork, type PrivateNetwork } from "../helpers/netns.ts";
import { KV_RAW_CLIENT, type RawAnswer, type RawExchange } from "../helpers/kv_raw_client.ts";
import { startSkiff, type RunningVm } from "../helpers/vm.ts";
import { CORPUS } from "../unit/kv/corpus.ts";

const PORT = 11211;

interface Exec {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Boots kv on the network with extra command-line words; resolves once it listens. */
async function bootKv(t: ExecutionContext, network: PrivateNetwork, words: string, timeoutMs: number): Promise<RunningVm> {
  const vm = startSkiff(t, {
    machine: "q35",
    app: "kv",
    cmdline: `ip=${network.guestAddress}/30,gw=${network.hostAddress} ${words}`,
    devices: [network.device],
    netns: network.namespace,
    timeoutMs,
  });
  await vm.waitForLine(new RegExp(`^kv: listening on ${PORT}$`), 100_000);
  return vm;
}

/**
 * Runs a client inside the namespace without blocking this process's event loop (which
 * drains the guest's console), bounded by `timeoutMs`.
 */
function execIn(network: PrivateNetwork, argv: readonly string[], timeoutMs: number): Promise<Exec> {
  return new Promise((resolve) => {
    const child = network.spawn(argv);
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => { stdout.push(chunk); });
    child.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => { stderr += `\n(killed after ${timeoutMs} ms)`; child.kill("SIGKILL"); }, timeoutMs);
    child.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout: Buffer.concat(stdout).toString("utf8"), stderr }); });
  });
}

function scratch(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kv-vm-"));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** memcstat's "\tname: value" lines. */
function memcstat(stdout: string): Map<string, string> {
  return new Map([...stdout.matchAll(/^\s+([a-z_]+): (.*)$/gm)].map((match) => [match[1]!, match[2]!]));
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

test.serial("libmemcached's tools against kv in a VM: memccapable passes, a binary file round-trips bit-exact, memcstat and memcslap work", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = await bootKv(t, network, "", 400_000);
  const servers = `--servers=${network.guestAddress}:${PORT}`;

  const capable = await execIn(network, ["memccapable", "-h", network.guestAddress, "-p", String(PORT), "-a", "-t", "30"], 120_000);
  t.is(capable.status, 0, capable.stdout + capable.stderr + vm.output());
  t.regex(capable.stdout, /All tests passed/);

  const dir = scratch(t);
  const original = randomBytes(700_000);
  const file = path.join(dir, "blob.bin");
  fs.writeFileSync(file, original);
  const copied = await execIn(network, ["memccp", servers, file], 60_000);
  t.is(copied.status, 0, copied.stderr);
  const out = path.join(dir, "out.bin");
  const fetched = await execIn(network, ["memccat", servers, `--file=${out}`, "blob.bin"], 60_000);
  t.is(fetched.status, 0, fetched.stderr);
  t.is(sha256(fs.readFileSync(out)), sha256(original), "the file came back bit-exact");

  const slap = await execIn(network, ["memcslap", servers, "--concurrency=4", "--execute-number=100", "--test=set"], 120_000);
  t.is(slap.status, 0, slap.stdout + slap.stderr);
  const slapGet = await execIn(network, ["memcslap", servers, "--concurrency=4", "--execute-number=100", "--test=get"], 120_000);
  t.is(slapGet.status, 0, slapGet.stdout + slapGet.stderr);

  const statRun = await execIn(network, ["memcstat", servers], 30_000);
  t.is(statRun.status, 0, statRun.stderr);
  const stats = memcstat(statRun.stdout);
  t.is(stats.get("version"), "1.6.18-skiff-kv");
  t.is(stats.get("limit_maxbytes"), String(16 * 1024 * 1024), "env.memory_mb defaults to 16");
  t.is(stats.get("curr_connections"), "1", "memcstat's own");
  t.true(Number(stats.get("total_connections")) >= 10, statRun.stdout);
  t.true(Number(stats.get("cmd_set")) >= 401, statRun.stdout);
  t.true(Number(stats.get("get_hits")) >= 1, statRun.stdout);
  t.true(Number(stats.get("curr_items")) >= 1, statRun.stdout);
  t.true(Number(stats.get("bytes")) > original.length, statRun.stdout);
  t.is(stats.get("evictions"), "0");
  t.true(Number(stats.get("uptime")) >= 0 && Math.abs(Number(stats.get("time")) - Date.now() / 1000) < 120, "the guest's wall clock");
});

test.serial("kv in a VM evicts the least recently used under env.memory_mb=2: early keys gone, late keys present, evictions counted", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = await bootKv(t, network, "env.memory_mb=2", 300_000);
  const servers = `--servers=${network.guestAddress}:${PORT}`;
  const dir = scratch(t);
  const files = Array.from({ length: 30 }, (_, i) => {
    const name = path.join(dir, `part${String(i).padStart(2, "0")}`);
    fs.writeFileSync(name, randomBytes(100_000));
    return name;
  });
  const copied = await execIn(network, ["memccp", servers, ...files], 120_000);
  t.is(copied.status, 0, copied.stderr + vm.output());
  const present = async (file: string): Promise<boolean> => {
    const out = `${file}.out`;
    const run = await execIn(network, ["memccat", servers, `--file=${out}`, path.basename(file)], 30_000);
    if (run.status !== 0) return false;
    t.is(sha256(fs.readFileSync(out)), sha256(fs.readFileSync(file)), `${path.basename(file)} bit-exact`);
    return true;
  };
  for (const file of files.slice(0, 5)) t.false(await present(file), `${path.basename(file)} was evicted`);
  for (const file of files.slice(-5)) t.true(await present(file), `${path.basename(file)} is still there`);
  const stats = memcstat((await execIn(network, ["memcstat", servers], 30_000)).stdout);
  t.is(stats.get("limit_maxbytes"), String(2 * 1024 * 1024));
  t.true(Number(stats.get("evictions")) > 0, `evictions ${stats.get("evictions")}`);
  t.true(Number(stats.get("bytes")) <= 2 * 1024 * 1024, `bytes ${stats.get("bytes")}`);
  t.is(Number(stats.get("curr_items")) + Number(stats.get("evictions")), 30, "every item is held or was evicted");
});

test.serial("the protocol corpus over Linux's TCP, whole and in 7-byte writes: kv in a VM answers memcached's bytes", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = await bootKv(t, network, "", 400_000);
  // One server for all cases: each starts from an empty cache (flush_all noreply answers
  // nothing), so only cases whose answers show CAS uniques, which keep growing, are left
  // out, and those whose answer depends on how reads cut the bytes.
  const cases = CORPUS.filter((c) => c.readsMatter !== true && !/\b(gets|gats|cas) /.test(c.send));
  const exchanges: RawExchange[] = cases.flatMap((c) => {
    const send = `flush_all noreply\r\n${c.send}`;
    const whole = { send, expectLength: c.expect.length, piece: 0 };
    return c.large === true ? [whole] : [whole, { ...whole, piece: 7 }];
  });
  const dir = scratch(t);
  const file = path.join(dir, "exchanges.json");
  fs.writeFileSync(file, JSON.stringify(exchanges));
  const run = await execIn(network, ["node", "-e", KV_RAW_CLIENT, network.guestAddress, String(PORT), file], 300_000);
  t.is(run.status, 0, run.stderr + vm.output());
  const answers = JSON.parse(run.stdout) as RawAnswer[];
  t.is(answers.length, exchanges.length);
  let index = 0;
  for (const c of cases) {
    for (const how of c.large === true ? ["whole"] : ["whole", "in 7-byte writes"]) {
      const answer = answers[index++]!;
      t.is(answer.output, c.expect, `${c.name}, ${how}`);
      t.is(answer.closed, c.closes ?? false, `${c.name}, ${how}: closed`);
    }
  }
  t.log(`${cases.length} corpus cases, ${exchanges.length} exchanges`);
});
