/**
 * App fault isolation, end to end (issue 5, "Loader"): apps/test-faults, booted from its image
 * on qemu's user-mode network, fails one request at a time — a throw, an endless loop (the
 * watchdog, shim/js/hal_watchdog.c, stops it at the default 100 ms budget), an allocation
 * until out of memory — and after each the kernel still serves /ok. Requests go through
 * Node's fetch, which never blocks the event loop, so the guest's console keeps draining.
 */
import test from "ava";
import net from "node:net";
import { spawnSync } from "node:child_process";
import { paths } from "../../host/launch/paths.ts";
import { requireImage, startSkiff, type RunningVm } from "../helpers/vm.ts";

const IMAGE = "build/apps/test-faults.img";

test.before(() => {
  requireImage();
  const built = spawnSync(process.execPath, ["--import", "tsx", "host/bin/skiff.ts", "build", "test-faults"], { cwd: paths.repoRoot, encoding: "utf8", timeout: 120_000 });
  if (built.status !== 0) throw new Error(`skiff build test-faults failed:\n${built.stdout}${built.stderr}`);
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function get(port: number, path: string): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(30_000) });
  return { status: response.status, body: await response.text(), ms: Date.now() - started };
}

async function bootFaults(t: Parameters<typeof startSkiff>[0], memory: string): Promise<{ vm: RunningVm; port: number }> {
  const port = await freePort();
  const vm = startSkiff(t, {
    machine: "q35", app: "test-faults", initrd: `${paths.repoRoot}/${IMAGE}`, memory,
    devices: [{ kind: "net", backend: "user", hostPort: port, guestPort: 8080 }], timeoutMs: 240_000,
  });
  await vm.waitForLine(/^skiff: app test-faults serving http:\/\//, 90_000);
  return { vm, port };
}

test("a throwing, a looping and an out-of-memory handler each cost one 500; the kernel keeps serving", async (t) => {
  const { vm, port } = await bootFaults(t, "64M");
  t.is((await get(port, "/ok")).status, 200, vm.output());

  const thrown = await get(port, "/throw");
  t.is(thrown.status, 500, vm.output());
  await vm.waitForLine(/^skiff: app test-faults: fetch\(GET \/throw\) failed: Error: test-faults: \/throw on purpose$/, 10_000);
  t.is((await get(port, "/ok")).body, "ok\n", vm.output());

  const looped = await get(port, "/loop");
  t.is(looped.status, 500, vm.output());
  t.true(looped.ms < 10_000, `/loop took ${looped.ms} ms to answer`);
  await vm.waitForLine(/^skiff: app test-faults: fetch\(GET \/loop\) ran past its 100 ms budget$/, 10_000);
  t.is((await get(port, "/ok")).body, "ok\n", vm.output());

  for (let round = 1; round <= 2; round++) { // twice: the first one's memory came back
    const exhausted = await get(port, "/oom");
    t.is(exhausted.status, 500, vm.output());
    t.is((await get(port, "/ok")).body, "ok\n", vm.output());
  }
  t.true(/fetch\(GET \/oom\) failed: InternalError: out of memory/.test(vm.output()), vm.output());

  t.is((await get(port, "/count")).body, "10\n", vm.output()); // the app's state lived through it all
});
