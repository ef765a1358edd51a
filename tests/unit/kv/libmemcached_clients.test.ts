/**
 * Real memcached clients against the kv server on Node's loopback TCP (the same session
 * code the guest runs): libmemcached's memccapable protocol checks, memccp/memccat moving
 * a binary file bit-exact, memcrm, memcflush, memcstat, and memcslap with four threads.
 * Debian's libmemcached-tools, installed by host/setup/debian_packages.sh.
 */
import test from "ava";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ExecutionContext } from "ava";
import { startNodeKvServer } from "./helpers/node_kv_server.ts";

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function requireTools(): void {
  if (!fs.existsSync("/usr/bin/memccp")) throw new Error("libmemcached-tools is missing: run `make deps` (host/setup/debian_packages.sh installs it)");
}

/** Runs a libmemcached tool, bounded in time. */
function tool(name: string, args: readonly string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(`/usr/bin/${name}`, args, { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ status, stdout, stderr: stderr + (error !== null && typeof error.code !== "number" ? `\n${error.message}` : "") });
    });
  });
}

function scratch(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kv-clients-"));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

test("memccapable: every ASCII protocol check passes", async (t) => {
  requireTools();
  const kv = await startNodeKvServer(t);
  const run = await tool("memccapable", ["-h", "127.0.0.1", "-p", String(kv.port), "-a", "-t", "10"]);
  t.is(run.status, 0, run.stdout + run.stderr + kv.logs.join("\n"));
  t.regex(run.stdout, /All tests passed/);
  t.notRegex(run.stdout, /\[fail\]/);
});

test("memccp and memccat move a binary file bit-exact; memcrm and memcflush remove", async (t) => {
  requireTools();
  const kv = await startNodeKvServer(t);
  const servers = `--servers=127.0.0.1:${kv.port}`;
  const dir = scratch(t);
  const original = randomBytes(900_000);
  const file = path.join(dir, "blob.bin");
  fs.writeFileSync(file, original);
  const copied = await tool("memccp", [servers, file]);
  t.is(copied.status, 0, copied.stderr);
  const out = path.join(dir, "out.bin");
  const fetched = await tool("memccat", [servers, `--file=${out}`, "blob.bin"]);
  t.is(fetched.status, 0, fetched.stderr);
  t.is(sha256(fs.readFileSync(out)), sha256(original));
  t.is((await tool("memcrm", [servers, "blob.bin"])).status, 0);
  t.not((await tool("memccat", [servers, "blob.bin"])).status, 0, "gone after memcrm");
  t.is((await tool("memccp", [servers, file])).status, 0);
  t.is((await tool("memcflush", [servers])).status, 0);
  t.not((await tool("memccat", [servers, "blob.bin"])).status, 0, "gone after memcflush");
});

test("memcstat reads the stats; memcslap's four threads set and get", async (t) => {
  requireTools();
  const kv = await startNodeKvServer(t);
  const servers = `--servers=127.0.0.1:${kv.port}`;
  const setting = await tool("memcslap", [servers, "--concurrency=4", "--execute-number=500", "--test=set"]);
  t.is(setting.status, 0, setting.stdout + setting.stderr);
  const getting = await tool("memcslap", [servers, "--concurrency=4", "--execute-number=500", "--test=get"]);
  t.is(getting.status, 0, getting.stdout + getting.stderr);
  const stats = await tool("memcstat", [servers]);
  t.is(stats.status, 0, stats.stderr);
  const value = (name: string): number => Number(new RegExp(`^\\s*${name}: (\\d+)$`, "m").exec(stats.stdout)?.[1]);
  t.true(value("cmd_set") >= 2000, stats.stdout);
  t.true(value("cmd_get") >= 2000, stats.stdout);
  t.true(value("curr_items") > 0, stats.stdout);
  t.is(value("evictions"), 0, stats.stdout);
  t.true(value("total_connections") >= 8, stats.stdout);
  t.deepEqual(kv.logs, [], "no session failed");
});
