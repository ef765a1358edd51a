/**
 * Hot reload of a hosted kernel (issue 6): `skiff dev --hosted` runs the kernel bundle in
 * quickjs-emscripten in a worker thread of its own process, the development channel a pair of
 * byte rings in shared memory between the threads (host/hosted/byte_ring.ts). The kernel's NIC
 * reaches a tap in a private namespace through tapbridge, as `skiff run --hosted` does; curl
 * runs in the namespace. An edit of the app's handler and one of the kernel's HTTP module are
 * each answered by the new code in the same boot, the app's count carried on. Root only, as
 * CI runs; the process group (skiff dev, its tapbridge) is killed at the end.
 */
import test from "ava";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import { createPrivateNetwork } from "../helpers/netns.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-dev-hosted-"));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

const source = (version: string) => `let count = 0;
export default {
  fetch(): Response { count++; return new Response(\`${version} count=\${count}\\n\`); },
  dispose(): { count: number } { return { count }; },
  start(state?: { count: number }): void { if (state !== undefined) count = state.count; },
};
`;

test("skiff dev --hosted: an app edit and an HTTP-module edit are answered by the new code in the same boot", async (t) => {
  const network = await createPrivateNetwork(t);
  const appDir = path.join(dir, "devhosted");
  fs.mkdirSync(appDir);
  fs.writeFileSync(path.join(appDir, "app.json"), JSON.stringify({ name: "devhosted", entry: "main.ts", ports: [8080] }));
  fs.writeFileSync(path.join(appDir, "main.ts"), source("h1"));
  const kernelRoot = path.join(dir, "kernel");
  fs.cpSync(path.join(paths.repoRoot, "kernel-ts"), path.join(kernelRoot, "kernel-ts"), { recursive: true });

  const dev = spawn(process.execPath, [
    "--import", "tsx", "host/bin/skiff.ts", "dev", appDir, "--hosted", "--no-build",
    "--net", `tap:${network.ifname}`, "--netns", network.namespace, "--cmdline", `ip=${network.guestAddress}/30,gw=${network.hostAddress}`,
  ], { cwd: paths.repoRoot, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, SKIFF_DEV_KERNEL_ROOT: kernelRoot } });
  t.teardown(() => {
    try {
      process.kill(-dev.pid!, "SIGKILL");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  });
  let output = "";
  dev.stdout!.setEncoding("utf8").on("data", (text: string) => { output += text; });
  dev.stderr!.setEncoding("utf8").on("data", (text: string) => { output += text; });
  const waitFor = async (pattern: RegExp, after: number, timeoutMs = 90_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(output.slice(after));
      if (match !== null) return match[0];
      if (Date.now() > deadline) throw new Error(`no ${pattern} in ${timeoutMs} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const curl = async (...flags: string[]): Promise<string> =>
    (await network.execAsync(["curl", "-s", "--max-time", "20", ...flags, `http://${network.guestAddress}:8080/`], { timeoutMs: 30_000 })).stdout;

  const connected = await waitFor(/skiff dev: connected to boot ([0-9a-f]{16})/, 0);
  await waitFor(/skiff: app devhosted serving http:/, 0);
  t.is(await curl(), "h1 count=1\n");

  let mark = output.length;
  fs.writeFileSync(path.join(appDir, "main.ts"), source("h2"));
  const reloaded = await waitFor(/skiff dev: reloaded devhosted \(main\.ts\) in \d+ ms: rebuild \d+, transfer \d+, load \d+, swap \d+ \(boot ([0-9a-f]{16})/, mark);
  t.is(/boot ([0-9a-f]{16})/.exec(reloaded)![1], /boot ([0-9a-f]{16})/.exec(connected)![1], "the same boot");
  t.is(await curl(), "h2 count=2\n");

  mark = output.length;
  const head = path.join(kernelRoot, "kernel-ts", "http", "response_head.ts");
  fs.writeFileSync(head, fs.readFileSync(head, "utf8").replace('200: "OK",', '200: "OK, hosted reload",'));
  await waitFor(/skiff dev: reloaded kernel module http \(response_head\.ts\)/, mark);
  const response = await curl("-i");
  t.regex(response, /^HTTP\/1\.1 200 OK, hosted reload\r\n/);
  t.regex(response, /h2 count=3\n$/);
});
