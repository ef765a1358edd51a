/**
 * A hosted kernel on the same kind of wire as the VM interop tests (net_interop.test.ts):
 * a tap in a private network namespace (tests/helpers/netns.ts), Linux's own stack on the
 * other side of the /30. build/host/tapbridge joins the tap to the hosted NIC's UDP
 * datagrams (host/tapbridge/). The bridge enters the namespace only to open the tap; the
 * kernel runs outside it, in a child process of this test, on this host's loopback.
 *
 * Two hosted platforms, one test each, both running apps/test-tcp-echo with a static address:
 *   - `skiff run --hosted --net tap:IF --netns NS`: the CLI, the kernel bundle in quickjs-emscripten;
 *   - NodePlatform: the kernel's TypeScript on Node's own engine, through the same bridge module.
 * Linux pings the guest (3 replies), a Linux TCP client echoes 1 MB through it bit-exact, the
 * kernel powers off with 0, and the bridge then lets go of the tap (no LOWER_UP).
 *
 * Each kernel runs in its own process group (the bridge is its child there), and teardown
 * kills the group, whatever happened. Root only, as CI runs; needs `make build`.
 */
import test, { type ExecutionContext } from "ava";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { paths } from "../../host/launch/paths.ts";
import { createPrivateNetwork, type PrivateNetwork } from "../helpers/netns.ts";
import { ECHO_CLIENT, echoPattern } from "../helpers/tcp_echo_client.ts";

const ECHO_BYTES = 1 << 20;
/** The hosted kernel's own limit; the test's waits below are all shorter. */
const KERNEL_TIMEOUT_S = 90;

function staticIp(network: PrivateNetwork): string {
  return `ip=${network.guestAddress}/30,gw=${network.hostAddress} env.connections=1`;
}

function requireBuild(): void {
  for (const file of [paths.kernelBundle, paths.appBundlesDir, paths.tapBridge]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`make build\` before the vm tests`);
  }
}

interface HostedKernel {
  /** Resolves with the first output line matching `pattern`; rejects on exit or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  output(): string;
  /** The process's exit status (or signal name). */
  readonly exited: Promise<number | string>;
}

/** Starts `argv` as the leader of a new process group, killed whole when the test ends. */
function startHostedKernel(t: ExecutionContext, argv: readonly string[]): HostedKernel {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"], detached: true });
  t.teardown(() => {
    try {
      process.kill(-child.pid!, "SIGKILL"); // the kernel, the bridge, anything else they started
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  });
  let output = "";
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString("utf8");
    for (const waiter of waiters) waiter();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | string>((resolve) => child.once("close", (code, signal) => resolve(code ?? signal ?? "unknown")));
  return {
    output: () => output,
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const line = output.split("\n").find((text) => pattern.test(text));
          if (line === undefined) return;
          finish();
          resolve(line);
        };
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        const timer = setTimeout(() => { finish(); reject(new Error(`No line matching ${pattern} within ${timeoutMs} ms; output so far:\n${output}`)); }, timeoutMs);
        waiters.add(check);
        void exited.then((status) => {
          if (!waiters.has(check)) return;
          finish();
          reject(new Error(`The hosted kernel exited (${status}) before printing a line matching ${pattern}:\n${output}`));
        });
        check();
      });
    },
  };
}

/** What both platforms must do on the tap: answer ping, echo 1 MB, power off cleanly, free the tap. */
async function pingAndEcho(t: ExecutionContext, network: PrivateNetwork, kernel: HostedKernel): Promise<void> {
  await kernel.waitForLine(/^tcp-echo: listening on 7$/, 60_000);
  t.true(network.counters().lowerUp, "the bridge holds the tap open (LOWER_UP)");

  const pingStarted = performance.now();
  const ping = network.exec(["ping", "-c", "3", "-i", "0.3", "-W", "5", network.guestAddress], { timeoutMs: 30_000 });
  t.is(ping.status, 0, ping.stdout + ping.stderr + kernel.output());
  t.regex(ping.stdout, /3 packets transmitted, 3 received/);
  t.log(`ping: ${(performance.now() - pingStarted).toFixed(0)} ms, ${/rtt [^\n]*/.exec(ping.stdout)?.[0] ?? ""}`);

  const echoStarted = performance.now();
  const client = network.exec(["node", "-e", ECHO_CLIENT, network.guestAddress, "7", String(ECHO_BYTES)], { timeoutMs: 60_000 });
  const echoMs = performance.now() - echoStarted;
  t.is(client.status, 0, client.stderr + kernel.output());
  t.is(client.stdout.trim(), `echoed ${ECHO_BYTES} ${createHash("sha256").update(echoPattern(ECHO_BYTES)).digest("hex")}`, client.stderr);
  t.log(`1 MiB echoed in ${echoMs.toFixed(0)} ms (client process included)`);

  t.is(await kernel.exited, 0, kernel.output());
  t.regex(kernel.output(), new RegExp(`^tcp-echo: connection 1 from ${network.hostAddress.replaceAll(".", "\\.")}:\\d+ echoed ${ECHO_BYTES} bytes$`, "m"));
  // A bridge whose parent exited notices its stdin closing a moment later.
  const released = await within(5_000, () => !network.counters().lowerUp);
  t.true(released, "the bridge let go of the tap (no LOWER_UP) within 5 s of the kernel's power-off");
}

/** Polls `condition` every 50 ms; false if it never held within `timeoutMs`. */
async function within(timeoutMs: number, condition: () => boolean): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test.serial("skiff run --hosted --net tap: the kernel in quickjs-emscripten answers Linux ping and echoes 1 MB over Linux TCP", async (t) => {
  t.timeout(150_000);
  requireBuild();
  const network = await createPrivateNetwork(t);
  const kernel = startHostedKernel(t, [
    process.execPath, "--import", "tsx", "host/bin/skiff.ts", "run", "test-tcp-echo", "--hosted", "--no-build", "--linked",
    "--net", `tap:${network.ifname}`, "--netns", network.namespace, "--cmdline", staticIp(network), "--timeout", String(KERNEL_TIMEOUT_S),
  ]);
  await pingAndEcho(t, network, kernel);
  // The CLI stops the bridge at power-off; its last line counts what crossed the tap.
  const summary = /^tapbridge: stopped \(Terminated\): (\d+) frames tap→udp, (\d+) udp→tap; dropped (\d+) unsent, (\d+) unwritten, (\d+) from strangers$/m.exec(kernel.output());
  t.truthy(summary, kernel.output());
  const [tapToUdp, udpToTap, , , strangers] = summary!.slice(1).map(Number);
  t.true(tapToUdp! > 3 && udpToTap! > 3, summary![0]);
  t.is(strangers, 0, summary![0]);
});

test.serial("NodePlatform on the same tap through the same bridge answers ping and echoes 1 MB over Linux TCP", async (t) => {
  t.timeout(150_000);
  requireBuild();
  const network = await createPrivateNetwork(t);
  const module = (file: string): string => JSON.stringify(new URL(`../../${file}`, import.meta.url).href);
  const script = `
    import { startTapBridge } from ${module("host/tapbridge/tap_bridge.ts")};
    import { NodePlatform } from ${module("host/hosted/node_platform.ts")};
    import { start } from ${module("kernel-ts/main.ts")};
    setTimeout(() => { console.error("hosted kernel: timed out"); process.exit(124); }, ${KERNEL_TIMEOUT_S * 1000}).unref();
    const bridge = await startTapBridge({ ifname: ${JSON.stringify(network.ifname)}, netns: ${JSON.stringify(network.namespace)} });
    await start(new NodePlatform({ cmdline: ${JSON.stringify(`app=test-tcp-echo ${staticIp(network)}`)}, exit: true, net: bridge.net }));
  `;
  const kernel = startHostedKernel(t, [process.execPath, "--import=tsx", "--input-type=module", "-e", script]);
  await pingAndEcho(t, network, kernel);
});
