/**
 * tap_bridge: puts a hosted kernel on a tap device. It starts build/host/tapbridge
 * (tapbridge.c beside this file: tap ↔ UDP datagrams, one frame each) and returns the
 * HostedNetOptions that connect a hosted NIC (hosted_net.ts) to the bridge's other end, so
 * `skiff run --hosted --net tap:IFNAME [--netns NS]` and the tests attach a hosted kernel to
 * the same kind of link a VM gets from `-netdev tap`.
 *
 * The arrangement: the bridge enters the namespace only to open the tap (its --netns) and
 * keeps its UDP socket on this host's loopback, where the hosted kernel is. The kernel runs
 * in the caller's own process (`skiff run --hosted`), which cannot move into a namespace,
 * and needs no privileges of its own; only the bridge needs root (setns, the tap).
 *
 * Ports: the bridge binds a free port of its choosing and reports it on its ready line; the
 * kernel's port is picked free here first (bound, released, then bound by the hosted NIC),
 * since the bridge must know where to send from its start.
 *
 * Lifetime: the bridge's stdin is a pipe from this process, and the bridge stops when that
 * pipe closes, so it dies with its parent however the parent dies (SIGKILL included).
 * stop() ends it sooner. Its stderr before the ready line becomes the TapBridgeError's
 * message; after it (errors, and one summary line of frames moved at its stop) it is relayed
 * to `onStderr`, default this process's stderr.
 */
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import type { HostedNetOptions } from "../hosted/hosted_net.ts";
import { paths } from "../launch/paths.ts";

export interface TapBridgeOptions {
  /** The tap device; it must exist (`ip tuntap add dev IFNAME mode tap`). */
  readonly ifname: string;
  /** The network namespace the tap lives in (`ip netns add NS`); default: this process's. */
  readonly netns?: string;
  /** Default: build/host/tapbridge (`make tapbridge`). */
  readonly program?: string;
  /** How long the bridge may take to print its ready line; default 10 s. */
  readonly readyTimeoutMs?: number;
  /** The bridge's stderr; default: this process's stderr. */
  readonly onStderr?: (chunk: string) => void;
  /**
   * A lossy, reordering wire (tapbridge --impair, for tests: this machine's kernel has no
   * sch_netem): per-frame probabilities in each direction, and a seed.
   */
  readonly impair?: { readonly loss?: number; readonly reorder?: number; readonly duplicate?: number; readonly seed: number };
}

export interface TapBridge {
  /** What the hosted NIC is given: bound to `kernelPort`, sending to the bridge. */
  readonly net: HostedNetOptions;
  /** The bridge's UDP port on 127.0.0.1. */
  readonly bridgePort: number;
  /** The port the hosted NIC must bind on 127.0.0.1 (the bridge sends there). */
  readonly kernelPort: number;
  readonly process: ChildProcess;
  /** Resolves with the bridge's exit status (or signal name) when it has exited. */
  readonly exited: Promise<number | string>;
  /** Stops the bridge (SIGTERM, then SIGKILL after 2 s) and waits for it to exit. */
  stop(): Promise<number | string>;
}

/** A tapbridge that could not start; the message carries the bridge's own error. */
export class TapBridgeError extends Error {
  override readonly name = "TapBridgeError";
}

const LOOPBACK = "127.0.0.1";
const READY = /^tapbridge: ready (\S+) (\d+)$/m;
const STOP_GRACE_MS = 2000;

/** A UDP port nobody is bound to right now on 127.0.0.1 (bound, then released). */
async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, LOOPBACK, resolve);
  });
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

export async function startTapBridge(options: TapBridgeOptions): Promise<TapBridge> {
  const program = options.program ?? paths.tapBridge;
  if (!fs.existsSync(program)) throw new TapBridgeError(`Cannot attach to tap ${options.ifname}: ${program} is missing (run \`make tapbridge\`)`);
  const where = options.netns !== undefined ? ` in network namespace ${options.netns}` : "";
  const kernelPort = await freeUdpPort();
  const impair = options.impair;
  const args = [
    ...(options.netns !== undefined ? ["--netns", options.netns] : []),
    ...(impair !== undefined ? ["--impair", `loss=${impair.loss ?? 0},reorder=${impair.reorder ?? 0},duplicate=${impair.duplicate ?? 0},seed=${impair.seed}`] : []),
    options.ifname, "0", String(kernelPort),
  ];
  const child = spawn(program, args, { stdio: ["pipe", "pipe", "pipe"] });
  const onStderr = options.onStderr ?? ((chunk: string) => process.stderr.write(chunk));
  // Until the ready line the bridge's stderr goes into the error that explains its failure;
  // after it, straight to onStderr.
  let stderr = "";
  let ready = false;
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    if (ready) onStderr(chunk);
    else stderr += chunk;
  });
  // A parent that goes away closes this pipe, and the bridge stops; an EPIPE here is that.
  child.stdin!.on("error", () => {});
  const exited = new Promise<number | string>((resolve) => {
    child.once("close", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });

  const bridgePort = await new Promise<number>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new TapBridgeError(`Cannot attach to tap ${options.ifname}${where}: tapbridge printed no ready line in ${options.readyTimeoutMs ?? 10_000} ms`));
    }, options.readyTimeoutMs ?? 10_000);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = READY.exec(stdout);
      if (line !== null && !ready) {
        ready = true;
        clearTimeout(timer);
        if (stderr !== "") onStderr(stderr);
        resolve(Number(line[2]));
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new TapBridgeError(`Cannot start ${program}: ${error.message}`));
    });
    void exited.then((status) => {
      clearTimeout(timer);
      reject(new TapBridgeError(`Cannot attach to tap ${options.ifname}${where}: tapbridge exited (${status}) before it was ready: ${stderr.trim() || "no error printed"}`));
    });
  });

  const stop = async (): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM"); // its stdin stays open: the summary line then says "Terminated"
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      const status = await exited;
      clearTimeout(timer);
      return status;
    }
    return exited;
  };

  return {
    net: { local: { address: LOOPBACK, port: kernelPort }, remote: { address: LOOPBACK, port: bridgePort } },
    bridgePort,
    kernelPort,
    process: child,
    exited,
    stop,
  };
}
