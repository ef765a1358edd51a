/**
 * A private network for the benchmark, local to this machine: the tap variant of
 * tests/helpers/netns.ts without ava, over the same core (host/netns/private_network.ts,
 * so N is claimed the same way and the benchmark and the tests never share a namespace):
 * a network namespace holding a tap for qemu, 10.77.N.1/30 on the Linux side and
 * 10.77.N.2 left for the guest. `close()` kills what was spawned and deletes the tap, the
 * namespace and the claim; the caller runs it in a `finally`, and on SIGINT/SIGTERM.
 * Needs root.
 */
import type { ChildProcess } from "node:child_process";
import type { VmDevice } from "../../host/launch/devices.ts";
import {
  addQuietNamespace, addressLink, claimIndex, must, NamespaceChildren, namespacesOf, releaseIndex, run, type CommandResult,
} from "../../host/netns/private_network.ts";

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
  exec(argv: readonly string[], timeoutMs?: number): CommandResult;
  close(): Promise<void>;
}

export function createBenchNetwork(): BenchNetwork {
  if (process.getuid?.() !== 0) throw new Error("The network benchmark needs root (ip netns, tap devices)");
  const index = claimIndex();
  const [namespace] = namespacesOf(index);
  const ifname = `sk-tap${index}`;
  const hostAddress = `10.77.${index}.1`;
  const guestAddress = `10.77.${index}.2`;
  const children = new NamespaceChildren();
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await children.killAll();
    run(["ip", "-n", namespace, "link", "del", ifname]);
    run(["ip", "netns", "del", namespace]);
    releaseIndex(index);
  };

  try {
    addQuietNamespace(namespace);
    must(["ip", "-n", namespace, "tuntap", "add", "dev", ifname, "mode", "tap"]);
    addressLink(namespace, ifname, hostAddress);
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
    spawn: (argv): ChildProcess => children.spawn(namespace, argv),
    exec: (argv, timeoutMs) => run(["ip", "netns", "exec", namespace, ...argv], timeoutMs),
    close,
  };
}
