/**
 * Skiff's TCP/IP stack against the real peer, the Linux kernel's: a Skiff VM under qemu
 * TCG on a tap inside a private network namespace (tests/helpers/netns.ts), Linux on the
 * other side of the /30. ping gets replies; Linux's TCP exchanges data both ways with a
 * Skiff echo server; DHCP from dnsmasq configures the guest. Root only (as CI runs).
 * The tests run one at a time: six VMs moving 10 MB each at once starve a 2-core machine.
 */
import test from "ava";
import { createHash } from "node:crypto";
import { createPrivateNetwork } from "../helpers/netns.ts";
import { ECHO_CLIENT, echoPattern } from "../helpers/tcp_echo_client.ts";
import { startSkiff } from "../helpers/vm.ts";

function staticIp(network: { guestAddress: string; hostAddress: string }): string {
  return `ip=${network.guestAddress}/30,gw=${network.hostAddress}`;
}

test.serial("Linux ping gets replies from a Skiff guest with a static address", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-echo", cmdline: `${staticIp(network)} env.connections=1`, devices: [network.device], netns: network.namespace, timeoutMs: 120_000 });
  await vm.waitForLine(/^tcp-echo: listening on 7$/, 100_000);
  const ping = network.exec(["ping", "-c", "3", "-i", "0.3", "-W", "5", network.guestAddress], { timeoutMs: 30_000 });
  t.is(ping.status, 0, ping.stdout + ping.stderr + vm.output());
  t.regex(ping.stdout, /3 packets transmitted, 3 received/);
});

test.serial("a Linux TCP client exchanges 10 MB both ways with the Skiff echo server, bit-exact", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-echo", cmdline: `${staticIp(network)} env.connections=1 netstats`, devices: [network.device], netns: network.namespace, timeoutMs: 240_000 });
  await vm.waitForLine(/^tcp-echo: listening on 7$/, 100_000);
  const length = 10 << 20;
  const client = network.exec(["node", "-e", ECHO_CLIENT, network.guestAddress, "7", String(length)], { timeoutMs: 200_000 });
  t.is(client.status, 0, client.stderr + vm.output());
  const expected = createHash("sha256").update(echoPattern(length)).digest("hex");
  t.is(client.stdout.trim(), `echoed ${length} ${expected}`, client.stderr);
  const done = await vm.finished;
  t.is(done.code, 0, vm.output());
  t.true(done.text.some((line) => new RegExp(`^tcp-echo: connection 1 from ${network.hostAddress.replaceAll(".", "\\.")}:\\d+ echoed ${length} bytes$`).test(line)), vm.output());
  // The flag netstats: the kernel's counters at power-off, consistent with what moved.
  const statsLine = done.text.find((line) => line.startsWith("skiff: net stats "));
  t.truthy(statsLine, vm.output());
  const stats = JSON.parse(statsLine!.slice("skiff: net stats ".length)) as NetStatsLine;
  t.true(stats.device.rxBytes > length && stats.device.txBytes > length, statsLine);
  t.is(stats.iface.rx.frames, stats.device.rxFrames, statsLine);
  t.true(stats.tcp.rx.segments > 0 && stats.tcp.tx.segments > 0, statsLine);
  t.is(stats.tcp.rx.badChecksum + stats.tcp.rx.malformed, 0, statsLine);
});

/** The parts of the `skiff: net stats` JSON the test reads (net/boot.ts). */
interface NetStatsLine {
  device: { rxFrames: number; rxBytes: number; txBytes: number };
  iface: { rx: { frames: number } };
  tcp: { rx: { segments: number; badChecksum: number; malformed: number }; tx: { segments: number } };
}

test.serial("a Skiff client connects to a Linux listener and 10 MB go both ways bit-exact", async (t) => {
  const network = await createPrivateNetwork(t);
  const server = network.spawn(["node", "-e", ECHO_SERVER, network.hostAddress, "7007"]);
  await waitForOutput(server, /listening/, 20_000);
  const length = 10 << 20;
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-client", cmdline: `${staticIp(network)} env.host=${network.hostAddress} env.port=7007 env.bytes=${length} cpubudget=600000`, devices: [network.device], netns: network.namespace, timeoutMs: 240_000 });
  const done = await vm.finished;
  t.is(done.code, 0, vm.output());
  t.true(done.text.includes(`tcp-client: sent ${length} bytes, received ${length} bytes, all matching`), vm.output());
});

test.serial("connecting to a port nobody listens on fails with ConnectionRefused (Linux answers RST)", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-client", cmdline: `${staticIp(network)} env.host=${network.hostAddress} env.port=7999 env.bytes=10`, devices: [network.device], netns: network.namespace, timeoutMs: 120_000 });
  const done = await vm.finished;
  t.is(done.code, 1, vm.output());
  t.true(done.text.some((line) => /^tcp-client: failed: ConnectionRefused: /.test(line)), vm.output());
});

test.serial("DHCP from dnsmasq configures the guest; Linux reaches its echo server at the leased address", async (t) => {
  const network = await createPrivateNetwork(t, { dnsmasq: { leaseSeconds: 600 } });
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-echo", cmdline: "env.connections=1", devices: [network.device], netns: network.namespace, timeoutMs: 180_000 });
  const leased = await vm.waitForLine(/^skiff: net \d+\.\d+\.\d+\.\d+\/\d+/, 150_000);
  t.true(leased.startsWith(`skiff: net ${network.guestAddress}/30 gw ${network.hostAddress} dns ${network.hostAddress} (dhcp from ${network.hostAddress})`), leased);
  t.regex(network.dnsmasqLog(), /DHCPACK\(sk-tap\d+\) 10\.77\.\d+\.2/);
  await vm.waitForLine(/^tcp-echo: listening on 7$/, 60_000);
  const client = network.exec(["node", "-e", ECHO_CLIENT, network.guestAddress, "7", String(64 << 10)], { timeoutMs: 60_000 });
  t.is(client.status, 0, client.stderr + vm.output());
  t.is((await vm.finished).code, 0, vm.output());
});

/**
 * Loss on Linux's side of the link. `tc netem` would add reordering too, but this machine's
 * kernel has no sch_netem (and no modules to load), so nftables drops packets at random
 * in both directions instead; reordering is covered by the netsim tests (tests/netsim).
 */
test.serial("with 3 % of packets dropped each way on Linux's side (nftables), 10 MB still echo bit-exact", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-echo", cmdline: `${staticIp(network)} env.connections=1`, devices: [network.device], netns: network.namespace, timeoutMs: 400_000 });
  await vm.waitForLine(/^tcp-echo: listening on 7$/, 100_000);
  for (const command of [
    [NFT, "add", "table", "inet", "loss"],
    [NFT, "add chain inet loss out { type filter hook output priority 0; }"],
    [NFT, "add chain inet loss in { type filter hook input priority 0; }"],
    [NFT, "add rule inet loss out meta l4proto tcp numgen random mod 100 < 3 counter drop"],
    [NFT, "add rule inet loss in meta l4proto tcp numgen random mod 100 < 3 counter drop"],
  ]) {
    const result = network.exec(command);
    t.is(result.status, 0, `${command.join(" ")}: ${result.stderr}`);
  }
  const length = 10 << 20;
  const client = network.exec(["node", "-e", ECHO_CLIENT, network.guestAddress, "7", String(length)], { timeoutMs: 300_000 });
  t.is(client.status, 0, client.stderr + vm.output());
  t.is(client.stdout.trim(), `echoed ${length} ${createHash("sha256").update(echoPattern(length)).digest("hex")}`);
  t.is((await vm.finished).code, 0, vm.output());
  const listed = network.exec([NFT, "list", "table", "inet", "loss"]);
  const counters = listed.stdout + listed.stderr;
  const dropped = [...counters.matchAll(/counter packets (\d+)/g)].map((match) => Number(match[1]));
  t.true(dropped.length === 2 && dropped.every((count) => count > 0), `nftables dropped ${dropped.join(" and ")} packets: the loss did not happen\n${counters}`);
  t.log(`dropped ${dropped.join(" out, ")} in`);
});

/** Debian's nft by its path: under npx, node_modules/.bin/nft (@vercel/nft) shadows it. */
const NFT = "/usr/sbin/nft";

function waitForOutput(child: import("node:child_process").ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${output}`)), timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** A Linux echo server on HOST:PORT for one connection: what arrives goes back. */
const ECHO_SERVER = `
const net = require("node:net");
const server = net.createServer((socket) => { socket.pipe(socket); socket.on("error", () => {}); socket.on("close", () => server.close()); });
server.listen(Number(process.argv[2]), process.argv[1], () => console.log("listening"));
setTimeout(() => process.exit(3), 300000).unref();
`;
