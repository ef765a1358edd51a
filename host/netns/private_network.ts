/**
 * private_network: the pieces of a private test network on this machine that the tests
 * (tests/helpers/netns.ts) and the network benchmark (bench/net/private_network.ts) share:
 * running `ip` commands, claiming an index N for 10.77.N.0/30 with an O_EXCL lock file
 * under /run/skiff-netns (a claim whose owner died is cleaned and taken over, so a crashed
 * run never blocks the next), a namespace holding a tap with 10.77.N.1 on the Linux side
 * and IPv6 off (a quiet link: every frame on it is one a test or the guest sent), and the
 * teardown. Needs root.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const LOCK_DIR = "/run/skiff-netns";
const FIRST_INDEX = 1;
const LAST_INDEX = 254;

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(argv: readonly string[], timeoutMs = 30_000): CommandResult {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: timeoutMs });
  if (result.error !== undefined) throw new Error(`Cannot run ${argv.join(" ")}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `argv` and returns its stdout; a non-zero status is an error naming the command. */
export function must(argv: readonly string[]): string {
  const result = run(argv);
  if (result.status !== 0) throw new Error(`${argv.join(" ")} failed (status ${result.status}): ${result.stderr.trim()}`);
  return result.stdout;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The namespaces of index N: the one holding the tap (or veth end), and a client's. */
export function namespacesOf(index: number): [string, string] {
  return [`skiff-net-${index}`, `skiff-cli-${index}`];
}

/** Claims a free index; leftovers of a crashed run with that index are removed first. */
export function claimIndex(): number {
  fs.mkdirSync(LOCK_DIR, { recursive: true });
  const span = LAST_INDEX - FIRST_INDEX + 1;
  const start = FIRST_INDEX + ((process.pid * 7919) % span);
  for (let step = 0; step < span; step++) {
    const index = FIRST_INDEX + ((start - FIRST_INDEX + step) % span);
    const lock = path.join(LOCK_DIR, String(index));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
        for (const name of namespacesOf(index)) run(["ip", "netns", "del", name]); // leftovers of a crashed run
        return index;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const owner = Number(fs.readFileSync(lock, "utf8"));
        if (Number.isInteger(owner) && owner > 0 && alive(owner)) break;
        // The owner died without its teardown: free the claim and try again.
        for (const name of namespacesOf(index)) run(["ip", "netns", "del", name]);
        fs.rmSync(lock, { force: true });
      }
    }
  }
  throw new Error(`Cannot create a private network: all of 10.77.${FIRST_INDEX}–${LAST_INDEX}.0/30 are in use (${LOCK_DIR})`);
}

export function releaseIndex(index: number): void {
  fs.rmSync(path.join(LOCK_DIR, String(index)), { force: true });
}

/** A new namespace with loopback up and IPv6 off. */
export function addQuietNamespace(namespace: string): void {
  must(["ip", "netns", "add", namespace]);
  must(["ip", "-n", namespace, "link", "set", "lo", "up"]);
  must(["ip", "netns", "exec", namespace, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
}

/** Gives `ifname` (in `namespace`) the Linux side's address of index N and brings it up. */
export function addressLink(namespace: string, ifname: string, hostAddress: string): void {
  must(["ip", "-n", namespace, "addr", "add", `${hostAddress}/30`, "dev", ifname]);
  must(["ip", "-n", namespace, "link", "set", ifname, "up"]);
}

/** Processes started inside a namespace; all killed (and waited for) by killAll. */
export class NamespaceChildren {
  readonly #children = new Set<ChildProcess>();

  /** Starts `argv` inside `namespace`. `ip netns exec` execs the command: killing the child kills it. */
  spawn(namespace: string, argv: readonly string[]): ChildProcess {
    const child = spawn("ip", ["netns", "exec", namespace, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    this.#children.add(child);
    return child;
  }

  async killAll(): Promise<void> {
    const children = [...this.#children];
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("close", () => resolve());
    })));
  }
}
