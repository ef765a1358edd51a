/**
 * The Linux interop rig, before Skiff has a network stack: a private /30 in a network
 * namespace (tests/helpers/netns.ts), dnsmasq answering DHCP and DNS there, and a Skiff VM
 * under qemu TCG attached to a tap in the namespace. test-net-echo sends every frame back,
 * so frames Linux sends into the tap (ARP from ping) must come back out of it. Root only.
 */
import fs from "node:fs";
import test from "ava";
import { createPrivateNetwork } from "../helpers/netns.ts";
import { startSkiff } from "../helpers/vm.ts";

test("dnsmasq in the namespace hands out 10.77.N.2 to busybox udhcpc and answers A queries", async (t) => {
  const network = await createPrivateNetwork(t, { link: "veth", dnsmasq: { hosts: { "www.skiff.test": "93.184.216.34" }, leaseSeconds: 600 } });
  const dhcp = network.exec(["busybox", "udhcpc", "-i", network.clientIfname!, "-f", "-q", "-n", "-t", "5", "-T", "1", "-s", "/bin/true"], { namespace: network.clientNamespace!, timeoutMs: 20_000 });
  t.is(dhcp.status, 0, dhcp.stderr + dhcp.stdout);
  t.regex(dhcp.stderr + dhcp.stdout, new RegExp(`lease of ${network.guestAddress.replaceAll(".", "\\.")} obtained from ${network.hostAddress.replaceAll(".", "\\.")}, lease time 600`));
  t.regex(network.dnsmasqLog(), /DHCPACK\(sk-veth\d+\) 10\.77\.\d+\.2/);

  network.exec(["ip", "addr", "add", `${network.guestAddress}/30`, "dev", network.clientIfname!], { namespace: network.clientNamespace! });
  const found = network.exec(["busybox", "nslookup", "-type=a", "www.skiff.test", network.hostAddress], { namespace: network.clientNamespace!, timeoutMs: 10_000 });
  t.regex(found.stdout, /Address: 93\.184\.216\.34/, found.stdout + found.stderr);
  const missing = network.exec(["busybox", "nslookup", "-type=a", "nosuch.skiff.test", network.hostAddress], { namespace: network.clientNamespace!, timeoutMs: 10_000 });
  t.regex(missing.stdout + missing.stderr, /NXDOMAIN/);
});

test("a Skiff VM on the namespace's tap: qemu runs inside it, Linux's frames reach the guest and come back", async (t) => {
  const network = await createPrivateNetwork(t);
  t.false(network.counters().lowerUp, "no carrier before qemu opens the tap");
  const vm = startSkiff(t, { machine: "q35", app: "test-net-echo", cmdline: "net=off env.count=3", devices: [network.device], netns: network.namespace, timeoutMs: 120_000 });
  t.is(vm.launch.program, "ip");
  t.deepEqual(vm.launch.args.slice(0, 4), ["netns", "exec", network.namespace, "qemu-system-x86_64"]);
  t.true(vm.launch.args.includes(`tap,id=net0,ifname=${network.ifname},script=no,downscript=no`));
  await vm.waitForLine(/^net-echo: ready mac=/, 100_000);
  t.true(network.counters().lowerUp, "qemu holds the tap open");
  const before = network.counters();
  // No stack in the guest yet: ping gets no reply, but its ARP requests go out of the tap
  // and test-net-echo sends each one back.
  network.exec(["ping", "-c", "4", "-i", "0.5", "-W", "1", network.guestAddress], { timeoutMs: 15_000 });
  const booted = await vm.finished;
  t.is(booted.code, 0, vm.output());
  t.true(booted.text.some((line) => /^net-echo: echoed 3 frames/.test(line)), vm.output());
  const after = network.counters();
  t.true(after.txPackets - before.txPackets >= 3, `Linux sent ${after.txPackets - before.txPackets} frames into the tap`);
  t.true(after.rxPackets - before.rxPackets >= 3, `the guest sent ${after.rxPackets - before.rxPackets} frames back`);
});

test("killing the launch kills qemu inside the namespace (ip netns exec execs, it does not fork)", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = startSkiff(t, { machine: "q35", app: "test-idle", cmdline: "env.ms=600000", devices: [network.device], netns: network.namespace, timeoutMs: 120_000 });
  await vm.waitForLine(/^idle: sleeping/, 100_000);
  const pid = vm.launch.process.pid!;
  t.is(fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim(), "qemu-system-x86", "the launched process is qemu itself");
  t.true(network.counters().lowerUp);
  vm.launch.process.kill();
  const result = await vm.launch.result;
  t.is(result.signal, "SIGKILL");
  t.false(fs.existsSync(`/proc/${pid}`));
  t.false(network.counters().lowerUp, "the tap lost its carrier: nothing holds it");
});
