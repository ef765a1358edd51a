/**
 * A private network for the benchmark, local to this machine: the tap variant of
 * tests/helpers/netns.ts without ava. A network namespace holding a tap for qemu, with
 * 10.77.N.1/30 on the Linux side and 10.77.N.2 left for the guest; IPv6 off so the link
 * stays quiet. N is claimed the same way the tests claim it (an O_EXCL lock file under
 * /run/skiff-netns/, stale claims of dead processes taken over), so the benchmark and the
 * tests never share a namespace. `close()` kills what was spawned and deletes the tap, the
 * namespace and the claim; the caller runs it in a `finally`, and on SIGINT/SIGTERM.
 * Needs root.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { VmDevice } from "../../host/launch/devices.ts";

const LOCK_DIR = "/run/skiff-netns";
const FIRST_INDEX = 1;
const LAST_INDEX = 254;

export interface BenchNetwork {
  readonly namespace: string;
  readonly ifname: string;
  readonly hostAddress: string;
  readonly guestAddress: string;
  /** The launcher's device for the tap; boot qemu with `netns: namespace`. */
  readonly device: VmDevice;
  /** Starts `argv` inside the namespace; it is killed by close(). */
  spawn(argv: readonly string[]): ChildProcess;
  /** Runs `argv` inside the namespace and waits (bounded). */
  exec(argv: readonly string[], timeoutMs?: number): { status: number | null; stdout: string; stderr: string };
  close(): Promise<void>;
}

function run(argv: readonly string[], timeoutMs = 30_000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", timeout: timeoutMs });
  if (result.error !== undefined) throw new Error(`Cannot run ${argv.join(" ")}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function must(argv: readonly string[]): void {
  const result = run(argv);
  if (result.status !== 0) throw new Error(`${argv.join(" ")} failed (status ${result.status}): ${result.stderr.trim()}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The namespaces tests/helpers/netns.ts makes for index N (both are cleaned on a takeover). */
function namespaces(index: number): string[] {
  return [`skiff-net-${index}`, `skiff-cli-${index}`];
}

function claimIndex(): number {
  fs.mkdirSync(LOCK_DIR, { recursive: true });
  const span = LAST_INDEX - FIRST_INDEX + 1;
  const start = FIRST_INDEX + ((process.pid * 7919) % span);
  for (let step = 0; step < span; step++) {
    const index = FIRST_INDEX + ((start - FIRST_INDEX + step) % span);
    const lock = path.join(LOCK_DIR, String(index));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
        for (const name of namespaces(index)) run(["ip", "netns", "del", name]);
        return index;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const owner = Number(fs.readFileSync(lock, "utf8"));
        if (Number.isInteger(owner) && owner > 0 && alive(owner)) break;
        for (const name of namespaces(index)) run(["ip", "netns", "del", name]);
        fs.rmSync(lock, { force: true });
      }
    }
  }
  throw new Error(`Cannot create a private network: all of 10.77.${FIRST_INDEX}–${LAST_INDEX}.0/30 are in use (${LOCK_DIR})`);
}

export function createBenchNetwork(): BenchNetwork {
  if (process.getuid?.() !== 0) throw new Error("The network benchmark needs root (ip netns, tap devices)");
  const index = claimIndex();
  const namespace = namespaces(index)[0]!;
  const ifname = `sk-tap${index}`;
  const hostAddress = `10.77.${index}.1`;
  const guestAddress = `10.77.${index}.2`;
  const children = new Set<ChildProcess>();
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    await Promise.all([...children].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("close", () => resolve());
    })));
    run(["ip", "-n", namespace, "link", "del", ifname]);
    run(["ip", "netns", "del", namespace]);
    fs.rmSync(path.join(LOCK_DIR, String(index)), { force: true });
  };

  try {
    must(["ip", "netns", "add", namespace]);
    must(["ip", "-n", namespace, "link", "set", "lo", "up"]);
    must(["ip", "netns", "exec", namespace, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
    must(["ip", "-n", namespace, "tuntap", "add", "dev", ifname, "mode", "tap"]);
    must(["ip", "-n", namespace, "addr", "add", `${hostAddress}/30`, "dev", ifname]);
    must(["ip", "-n", namespace, "link", "set", ifname, "up"]);
  } catch (error) {
    void close();
    throw error;
  }

  return {
    namespace,
    ifname,
    hostAddress,
    guestAddress,
    device: { kind: "net", backend: "tap", ifname },
    spawn(argv) {
      // ip netns exec execs the command in its own process: killing the child kills the command.
      const child = spawn("ip", ["netns", "exec", namespace, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
      children.add(child);
      return child;
    },
    exec: (argv, timeoutMs) => run(["ip", "netns", "exec", namespace, ...argv], timeoutMs),
    close,
  };
}
