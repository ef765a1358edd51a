/**
 * Skiff's TCP/IP stack against the real peer, the Linux kernel's: a Skiff VM under qemu
 * TCG on a tap inside a private network namespace (tests/helpers/netns.ts), Linux on the
 * other side of the /30. ping gets replies; Linux's TCP exchanges data both ways with a
 * Skiff echo server; DHCP from dnsmasq configures the guest. Root only (as CI runs).
 */
import test from "ava";
import { createHash } from "node:crypto";
import { createPrivateNetwork } from "../helpers/netns.ts";
import { startSkiff } from "../helpers/vm.ts";

function staticIp(network: { guestAddress: string; hostAddress: string }): string {
  return `ip=${network.guestAddress}/30,gw=${network.hostAddress}`;
}

test("Linux ping gets replies from a Skiff guest with a static address", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-echo", cmdline: `${staticIp(network)} env.connections=1`, devices: [network.device], netns: network.namespace, timeoutMs: 120_000 });
  await vm.waitForLine(/^tcp-echo: listening on 7$/, 100_000);
  const ping = network.exec(["ping", "-c", "3", "-i", "0.3", "-W", "5", network.guestAddress], { timeoutMs: 30_000 });
  t.is(ping.status, 0, ping.stdout + ping.stderr + vm.output());
  t.regex(ping.stdout, /3 packets transmitted, 3 received/);
});

test("a Linux TCP client exchanges 10 MB both ways with the Skiff echo server, bit-exact", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-echo", cmdline: `${staticIp(network)} env.connections=1`, devices: [network.device], netns: network.namespace, timeoutMs: 240_000 });
  await vm.waitForLine(/^tcp-echo: listening on 7$/, 100_000);
  const length = 10 << 20;
  const client = network.exec(["node", "-e", ECHO_CLIENT, network.guestAddress, "7", String(length)], { timeoutMs: 200_000 });
  t.is(client.status, 0, client.stderr + vm.output());
  const expected = createHash("sha256").update(seeded(length)).digest("hex");
  t.is(client.stdout.trim(), `echoed ${length} ${expected}`, client.stderr);
  const done = await vm.finished;
  t.is(done.code, 0, vm.output());
  t.true(done.text.some((line) => new RegExp(`^tcp-echo: connection 1 from ${network.hostAddress.replaceAll(".", "\\.")}:\\d+ echoed ${length} bytes$`).test(line)), vm.output());
});

/** The bytes ECHO_CLIENT sends: a fixed pattern, so the test can hash them too. */
function seeded(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Runs inside the namespace under Linux's TCP: send the pattern, half-close, read the echo. */
const ECHO_CLIENT = `
const net = require("node:net"), crypto = require("node:crypto");
const [host, port, length] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const out = Buffer.alloc(length); let x = 0x12345678;
for (let i = 0; i < length; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24; }
const socket = net.connect(port, host, () => { socket.end(out); });
const hash = crypto.createHash("sha256"); let received = 0;
socket.on("data", (chunk) => { received += chunk.length; hash.update(chunk); });
socket.on("end", () => { console.log("echoed " + received + " " + hash.digest("hex")); });
socket.on("error", (error) => { console.error(error.message); process.exit(1); });
setTimeout(() => { console.error("timed out after receiving " + received); process.exit(2); }, 180000).unref();
`;
