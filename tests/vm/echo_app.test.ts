/**
 * apps/echo against Linux's netcat in a private network namespace: three clients at once
 * each get their own bytes back, and one that resets does not stop the server.
 */
import test from "ava";
import { createPrivateNetwork } from "../helpers/netns.ts";
import { startSkiff } from "../helpers/vm.ts";

test.serial("the echo app echoes to several nc clients at once and survives a reset", async (t) => {
  const network = await createPrivateNetwork(t);
  const vm = startSkiff(t, { machine: "q35", app: "echo", cmdline: `ip=${network.guestAddress}/30,gw=${network.hostAddress}`, devices: [network.device], netns: network.namespace, timeoutMs: 180_000 });
  await vm.waitForLine(/^echo: listening on 7$/, 100_000);
  // nc -N closes its side at the end of input; -w bounds the wait for the server.
  const clients = [1, 2, 3].map((n) => network.spawn(["sh", "-c", `printf 'client ${n} says hello\\n' | nc -N -w 20 ${network.guestAddress} 7`]));
  const replies = await Promise.all(clients.map((child) => new Promise<string>((resolve) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => { out += chunk.toString(); });
    child.on("close", () => resolve(out));
  })));
  t.deepEqual(replies, ["client 1 says hello\n", "client 2 says hello\n", "client 3 says hello\n"]);
  // A client that resets its connection (SO_LINGER 0 close) mid-stream.
  const reset = network.exec(["node", "-e", `const s=require("net").connect(7,"${network.guestAddress}",()=>{s.write("x");setTimeout(()=>s.resetAndDestroy(),300)});s.on("error",()=>{})`], { timeoutMs: 20_000 });
  t.is(reset.status, 0, reset.stderr);
  const after = network.exec(["sh", "-c", `printf 'still here\\n' | nc -N -w 20 ${network.guestAddress} 7`], { timeoutMs: 30_000 });
  t.is(after.stdout, "still here\n", after.stderr + vm.output());
  await vm.waitForLine(/^echo: 10\.77\.\d+\.1:\d+ failed: ConnectionReset: /, 30_000);
  t.is([...vm.output().matchAll(/^echo: [\d.]+:\d+ echoed (\d+) bytes$/gm)].length, 4, vm.output());
});
