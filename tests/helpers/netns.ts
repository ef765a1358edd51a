/**
 * A private network for one test, local to this machine: a network namespace holding a tap
 * device (for qemu) or one end of a veth pair (for a Linux client in a second namespace),
 * with 10.77.N.1/30 on the Linux side and 10.77.N.2 left for the guest. N is claimed
 * atomically across processes (a lock file made with O_EXCL under /run/skiff-netns/), so
 * tests run in parallel; a claim whose owner process is gone is taken over after its
 * namespace is deleted. Optionally dnsmasq runs inside: DHCP handing out 10.77.N.2 on the
 * /30 (router and DNS 10.77.N.1) and DNS answering A records from a hosts file (every other
 * name is NXDOMAIN: no upstream). IPv6 is off in the namespace so the link stays quiet.
 *
 * Needs root (the tests and CI run as root). Everything made here is undone when the test
 * ends, whatever happens (t.teardown): processes killed, interfaces and namespaces deleted.
 * qemu reaches the tap by running inside the namespace: launch({ netns: network.namespace,
 * devices: [network.device] }) runs `ip netns exec NS qemu-system-x86_64 …`.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ExecutionContext } from "ava";
import type { VmDevice } from "../../host/launch/devices.ts";
import {
  addQuietNamespace, addressLink, claimIndex, must, NamespaceChildren, namespacesOf, releaseIndex, run, type CommandResult,
} from "../../host/netns/private_network.ts";

export interface NetnsOptions {
  /** "tap" (default): a tap for qemu. "veth": a veth pair whose other end is in `clientNamespace`. */
  readonly link?: "tap" | "veth";
  /** Start dnsmasq inside (DHCP + DNS). */
  readonly dnsmasq?: DnsmasqOptions;
}

export interface DnsmasqOptions {
  /** name → IPv4 address, answered as A records (and nothing else: no upstream servers). */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Lease in seconds (dnsmasq's minimum is 120). Default 3600. */
  readonly leaseSeconds?: number;
}

export type { CommandResult };

export interface LinkCounters {
  readonly rxPackets: number;
  readonly txPackets: number;
  readonly rxBytes: number;
  readonly txBytes: number;
  /** IFF_LOWER_UP: a tap has it while a process (qemu) holds it open. */
  readonly lowerUp: boolean;
  readonly flags: readonly string[];
}

export interface PrivateNetwork {
  readonly index: number;
  readonly namespace: string;
  /** The Linux-side interface inside `namespace`: the tap, or the server's veth end. */
  readonly ifname: string;
  readonly hostAddress: string;
  readonly guestAddress: string;
  readonly prefixLength: 30;
  /** The launcher's device for the tap (link "tap" only). */
  readonly device: VmDevice;
  /** link "veth": the namespace holding the other end (`clientIfname`), no address set. */
  readonly clientNamespace?: string;
  readonly clientIfname?: string;
  /** Runs `argv` inside `namespace` (or another of ours) and waits for it. */
  exec(argv: readonly string[], options?: { namespace?: string; timeoutMs?: number }): CommandResult;
  /**
   * exec without blocking the event loop: use it while a VM runs. A blocked loop stops
   * draining the VM's serial console, and a guest that prints meanwhile (a stack trace)
   * stalls on its UART and cannot answer the very client being waited for.
   */
  execAsync(argv: readonly string[], options?: { namespace?: string; timeoutMs?: number }): Promise<CommandResult>;
  /** Starts `argv` inside the namespace; it is killed at teardown. */
  spawn(argv: readonly string[], options?: { namespace?: string }): ChildProcess;
  /** `ip -s link show` of the Linux-side interface. */
  counters(): LinkCounters;
  /** dnsmasq's log so far (when started). */
  dnsmasqLog(): string;
}

export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error("The network namespace tests need root (ip netns, tap devices): run them as root, as CI does");
}

/** Creates the private network; everything is removed when the test ends. */
export async function createPrivateNetwork(t: ExecutionContext, options: NetnsOptions = {}): Promise<PrivateNetwork> {
  requireRoot();
  const index = claimIndex();
  const [namespace, clientNamespace] = namespacesOf(index);
  const link = options.link ?? "tap";
  const ifname = link === "tap" ? `sk-tap${index}` : `sk-veth${index}`;
  const clientIfname = `sk-vcli${index}`;
  const hostAddress = `10.77.${index}.1`;
  const guestAddress = `10.77.${index}.2`;
  const children = new NamespaceChildren();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `skiff-net-${index}-`));
  let logPath: string | undefined;

  t.teardown(async () => {
    await children.killAll();
    run(["ip", "-n", namespace, "link", "del", ifname]);
    for (const name of [namespace, clientNamespace]) run(["ip", "netns", "del", name]);
    fs.rmSync(dir, { recursive: true, force: true });
    releaseIndex(index);
  });

  addQuietNamespace(namespace);
  if (link === "tap") {
    must(["ip", "-n", namespace, "tuntap", "add", "dev", ifname, "mode", "tap"]);
  } else {
    must(["ip", "netns", "add", clientNamespace]);
    must(["ip", "-n", clientNamespace, "link", "set", "lo", "up"]);
    must(["ip", "link", "add", ifname, "netns", namespace, "type", "veth", "peer", "name", clientIfname, "netns", clientNamespace]);
    must(["ip", "-n", clientNamespace, "link", "set", clientIfname, "up"]);
  }
  addressLink(namespace, ifname, hostAddress);

  const exec = (argv: readonly string[], execOptions: { namespace?: string; timeoutMs?: number } = {}): CommandResult =>
    run(["ip", "netns", "exec", execOptions.namespace ?? namespace, ...argv], execOptions.timeoutMs);
  const spawnIn = (argv: readonly string[], spawnOptions: { namespace?: string } = {}): ChildProcess =>
    children.spawn(spawnOptions.namespace ?? namespace, argv);
  const execAsync = (argv: readonly string[], execOptions: { namespace?: string; timeoutMs?: number } = {}): Promise<CommandResult> =>
    new Promise((resolve) => {
      const child = spawnIn(argv, execOptions);
      let stdout = "";
      let stderr = "";
      child.stdout?.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
      child.stderr?.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
      const timer = setTimeout(() => { stderr += `\n(killed after ${execOptions.timeoutMs} ms)`; child.kill("SIGKILL"); }, execOptions.timeoutMs ?? 60_000);
      child.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
    });

  if (options.dnsmasq !== undefined) {
    const hosts = path.join(dir, "hosts");
    fs.writeFileSync(hosts, Object.entries(options.dnsmasq.hosts ?? {}).map(([name, address]) => `${address} ${name}\n`).join(""));
    logPath = path.join(dir, "dnsmasq.log");
    const lease = options.dnsmasq.leaseSeconds ?? 3600;
    const child = spawnIn([
      "dnsmasq", "--conf-file=/dev/null", "--keep-in-foreground", "--user=root", "--pid-file=",
      `--interface=${ifname}`, "--bind-interfaces", "--except-interface=lo",
      "--no-hosts", `--addn-hosts=${hosts}`, "--no-resolv", "--local=/#/", "--local-ttl=300",
      `--dhcp-range=${guestAddress},${guestAddress},255.255.255.252,${lease}`,
      `--dhcp-option=option:router,${hostAddress}`, `--dhcp-option=option:dns-server,${hostAddress}`,
      `--dhcp-leasefile=${path.join(dir, "leases")}`, "--no-ping", "--dhcp-authoritative",
      `--log-facility=${logPath}`, "--log-dhcp", "--log-queries",
    ]);
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => { stderr += chunk.toString("utf8"); });
    // Ready when it listens on 67 (DHCP) and 53 (DNS) inside the namespace.
    for (let waited = 0; ; waited += 50) {
      const sockets = exec(["ss", "-lnu"]).stdout;
      if (/:67\b/.test(sockets) && new RegExp(`${hostAddress.replaceAll(".", "\\.")}:53\\b`).test(sockets)) break;
      if (child.exitCode !== null) throw new Error(`dnsmasq exited with status ${child.exitCode}: ${stderr.trim()}`);
      if (waited > 10_000) throw new Error(`dnsmasq is not listening on 67 and 53 after 10 s: ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    index,
    namespace,
    ifname,
    hostAddress,
    guestAddress,
    prefixLength: 30,
    device: { kind: "net", backend: "tap", ifname },
    ...(link === "veth" ? { clientNamespace, clientIfname } : {}),
    exec,
    execAsync,
    spawn: spawnIn,
    counters() {
      const [info] = JSON.parse(must(["ip", "-n", namespace, "-s", "-j", "link", "show", ifname])) as [{ flags: string[]; stats64: { rx: { packets: number; bytes: number }; tx: { packets: number; bytes: number } } }];
      return {
        rxPackets: info.stats64.rx.packets,
        txPackets: info.stats64.tx.packets,
        rxBytes: info.stats64.rx.bytes,
        txBytes: info.stats64.tx.bytes,
        lowerUp: info.flags.includes("LOWER_UP"),
        flags: info.flags,
      };
    },
    dnsmasqLog: () => (logPath !== undefined && fs.existsSync(logPath) ? fs.readFileSync(logPath, "utf8") : ""),
  };
}
