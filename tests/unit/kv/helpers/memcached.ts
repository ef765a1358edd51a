/**
 * Debian's memcached (1.6.18 on Debian 12, installed by host/setup/debian_packages.sh) as
 * the reference the kv corpus is checked against: one fresh process per case on a free
 * loopback port, so its CAS uniques start at 1 as the kv server's do, and killed when the
 * test ends whatever happens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import type { ExecutionContext } from "ava";

export const MEMCACHED = "/usr/bin/memcached";

export interface ReferenceServer {
  readonly port: number;
  readonly process: ChildProcess;
}

export function requireMemcached(): void {
  if (!fs.existsSync(MEMCACHED)) throw new Error(`${MEMCACHED} is missing: run \`make deps\` (host/setup/debian_packages.sh installs Debian's memcached)`);
}

/** Starts memcached on 127.0.0.1 and a free port; it is killed at the test's end. */
export async function startMemcached(t: ExecutionContext): Promise<ReferenceServer> {
  requireMemcached();
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    // -U 0: no UDP; as root memcached insists on being told which user to run as.
    const child = spawn(MEMCACHED, ["-l", "127.0.0.1", "-p", String(port), "-U", "0", "-m", "64", ...(process.getuid?.() === 0 ? ["-u", "root"] : [])], { stdio: ["ignore", "ignore", "pipe"] });
    t.teardown(() => { child.kill("SIGKILL"); });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    for (let waited = 0; waited < 5000; waited += 20) {
      if (child.exitCode !== null) break;
      if (await canConnect(port)) return { port, process: child };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGKILL");
    if (!/Address already in use|failed to listen/.test(stderr)) throw new Error(`memcached did not start on port ${port}: ${stderr.trim()}`);
  }
  throw new Error("memcached found no free port in 20 attempts");
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("connect", () => { socket.destroy(); resolve(true); });
    socket.on("error", () => resolve(false));
  });
}

export interface Exchange {
  readonly output: string;
  readonly closed: boolean;
}

/**
 * Sends `bytes` on a new connection and collects the answer (latin1): until the server
 * closes, or until `expectLength` bytes came and 100 ms passed without more, or `timeoutMs`.
 */
export function exchange(port: number, bytes: Uint8Array, expectLength: number, timeoutMs = 5000): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const parts: Buffer[] = [];
    let length = 0;
    let quiet: NodeJS.Timeout | undefined;
    const finish = (closed: boolean): void => {
      clearTimeout(overall);
      clearTimeout(quiet);
      socket.destroy();
      resolve({ output: Buffer.concat(parts).toString("latin1"), closed });
    };
    const overall = setTimeout(() => finish(false), timeoutMs);
    const armQuiet = (): void => {
      clearTimeout(quiet);
      if (length >= expectLength) quiet = setTimeout(() => finish(false), 100);
    };
    socket.on("connect", () => { socket.write(bytes); armQuiet(); });
    socket.on("data", (chunk: Buffer) => { parts.push(chunk); length += chunk.length; armQuiet(); });
    socket.on("end", () => finish(true));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? finish(true) : reject(error)));
  });
}
