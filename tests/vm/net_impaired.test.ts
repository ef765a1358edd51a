/**
 * Skiff's TCP against Linux's over a wire that loses, reorders and duplicates frames in
 * both directions. This machine's kernel has no sch_netem (no `tc netem`, no modules), so
 * the impairment comes from tapbridge --impair (host/tapbridge/tapbridge.c): the VM's NIC
 * is a UDP datagram wire (-netdev dgram) to the bridge, the bridge joins it to a tap in a
 * private namespace, and Linux's TCP is on the tap. Seeded: the seed is in the test name
 * and in the bridge's stop line, which the test logs.
 */
import test from "ava";
import { createHash } from "node:crypto";
import { startTapBridge } from "../../host/tapbridge/tap_bridge.ts";
import { createPrivateNetwork } from "../helpers/netns.ts";
import { ECHO_CLIENT, echoPattern } from "../helpers/tcp_echo_client.ts";
import { startSkiff } from "../helpers/vm.ts";

const SEED = Number(process.env.SKIFF_IMPAIR_SEED ?? 20261128);

test.serial(`2 % loss, 2 % reordering, 1 % duplication each way (seed ${SEED}): 10 MB echo bit-exact with Linux`, async (t) => {
  const network = await createPrivateNetwork(t);
  let bridgeLog = "";
  const bridge = await startTapBridge({
    ifname: network.ifname, netns: network.namespace,
    impair: { loss: 0.02, reorder: 0.02, duplicate: 0.01, seed: SEED },
    onStderr: (chunk) => { bridgeLog += chunk; },
  });
  t.teardown(() => bridge.stop());
  const vm = startSkiff(t, {
    machine: "q35", app: "test-tcp-echo", cmdline: `ip=${network.guestAddress}/30,gw=${network.hostAddress} env.connections=1 netstats`,
    devices: [{ kind: "net", backend: "dgram", localPort: bridge.kernelPort, remotePort: bridge.bridgePort }], timeoutMs: 400_000,
  });
  await vm.waitForLine(/^tcp-echo: listening on 7$/, 100_000);
  const length = 10 << 20;
  const client = await network.execAsync(["node", "-e", ECHO_CLIENT, network.guestAddress, "7", String(length)], { timeoutMs: 300_000 });
  t.is(client.status, 0, client.stderr + vm.output());
  t.is(client.stdout.trim(), `echoed ${length} ${createHash("sha256").update(echoPattern(length)).digest("hex")}`);
  const done = await vm.finished;
  t.is(done.code, 0, vm.output());
  await bridge.stop();
  t.log(bridgeLog.trim());
  const impaired = /impaired: (\d+) lost, (\d+) reordered, (\d+) duplicated/.exec(bridgeLog);
  t.truthy(impaired, bridgeLog);
  t.true(Number(impaired![1]) > 100 && Number(impaired![2]) > 100 && Number(impaired![3]) > 50, bridgeLog);
  const stats = done.text.find((line) => line.startsWith("skiff: net stats "));
  t.log(stats);
  t.true(stats !== undefined && /"retransmits":[1-9]/.test(stats), "Skiff retransmitted what the wire lost");
});
