/**
 * qemu's user-mode network (`--net user:HOSTPORT:GUESTPORT`, what `make run` uses): no
 * root, no tap. The guest gets its address from slirp's DHCP server and a TCP port on the
 * host's loopback reaches its listener. Plus the flag's parsing and qemu arguments.
 */
import test from "ava";
import net from "node:net";
import { parseDeviceFlag, qemuDeviceArgs } from "../../host/launch/devices.ts";
import { loadQemuProfile } from "../../host/launch/qemu_profile.ts";
import { parseRunArgs } from "../../host/cli/run_args.ts";
import { UsageError } from "../../host/cli/usage.ts";
import { startSkiff } from "../helpers/vm.ts";

test("--net user:HOSTPORT:GUESTPORT becomes a user netdev with one loopback port forward", (t) => {
  const device = parseDeviceFlag("--net", "user:8080:80");
  t.deepEqual(device, { kind: "net", backend: "user", hostPort: 8080, guestPort: 80 });
  for (const machine of ["q35", "microvm"] as const) {
    const args = qemuDeviceArgs(loadQemuProfile(machine).virtio, [device]);
    t.true(args.includes("user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80"), args.join(" "));
  }
  t.throws(() => parseDeviceFlag("--net", "user:8080"), { message: /user:HOSTPORT:GUESTPORT/ });
  t.throws(() => parseRunArgs(["hello", "--hosted", "--net", "user:8080:80"]), { instanceOf: UsageError, message: /qemu's/ });
});

/** A port nobody listens on now (the kernel picks it; a tiny race, as everywhere). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("a guest on the user-mode network gets DHCP from qemu and echoes through the forwarded port", async (t) => {
  const hostPort = await freePort();
  const vm = startSkiff(t, { machine: "q35", app: "test-tcp-echo", cmdline: "env.connections=1", devices: [{ kind: "net", backend: "user", hostPort, guestPort: 7 }], timeoutMs: 90_000 });
  await vm.waitForLine(/^tcp-echo: listening on 7$/, 60_000);
  const echoed = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(hostPort, "127.0.0.1", () => socket.end("through slirp\n"));
    let text = "";
    socket.on("data", (chunk) => { text += chunk.toString(); });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
    socket.setTimeout(30_000, () => reject(new Error("no echo within 30 s")));
  });
  t.is(echoed, "through slirp\n");
  const done = await vm.finished;
  t.is(done.code, 0, vm.output());
  t.true(done.text.some((line) => /^skiff: net 10\.0\.2\.\d+\/24 gw 10\.0\.2\.2 dns 10\.0\.2\.3 \(dhcp from 10\.0\.2\.2\)$/.test(line)), vm.output());
});
