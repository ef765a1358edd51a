/**
 * Hot reload of a hosted kernel (issue 6): `skiff dev --hosted` runs the kernel bundle in
 * quickjs-emscripten in a worker thread of its own process, the development channel a pair of
 * byte rings in shared memory between the threads (host/hosted/byte_ring.ts). The kernel's NIC
 * reaches a tap in a private namespace through tapbridge, as `skiff run --hosted` does; curl
 * runs in the namespace. The steps of tests/vm/hot_reload.test.ts, hosted: an edit of the
 * app's handler and one of the kernel's HTTP module are each answered by the new code in the
 * same boot, the app's count carried on; a keep-alive connection opened before a reload gets
 * the new code's answer after it; a syntax error and a throwing start() are refused and the
 * old code answers; a load generator running through ten reloads sees no failed request.
 * Root only, as CI runs; the process group (skiff dev, its tapbridge) is killed at the end.
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

const source = (version: string, extra = "") => `let count = 0;
export default {
  fetch(): Response { count++; return new Response(\`${version} count=\${count}\\n\`); },
  dispose(): { count: number } { return { count }; },
  start(state?: { count: number }): void { ${extra} if (state !== undefined) count = state.count; },
};
`;

/** A Node client in the namespace: one keep-alive connection, a GET, then another once FLAG exists. */
const keepAliveClient = (address: string, flag: string) => `
const net = require("net"), fs = require("fs");
const socket = net.connect(8080, ${JSON.stringify(address)});
let buffer = "";
socket.on("data", (data) => { buffer += data; });
const get = () => new Promise((resolve) => {
  const from = buffer.length;
  socket.write("GET / HTTP/1.1\\r\\nHost: dev\\r\\n\\r\\n");
  const timer = setInterval(() => { const m = /\\r\\n\\r\\n([^\\n]*\\n)/.exec(buffer.slice(from)); if (m) { clearInterval(timer); resolve(m[1]); } }, 20);
});
(async () => {
  process.stdout.write("before " + await get());
  while (!fs.existsSync(${JSON.stringify(flag)})) await new Promise((r) => setTimeout(r, 50));
  process.stdout.write("after " + await get());
  socket.end();
})();`;

/** A load generator in the namespace: GETs one after another until STOP exists; prints {ok, failures, versions}. */
const loadGenerator = (address: string, stop: string) => `
const http = require("http"), fs = require("fs");
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
let ok = 0; const failures = []; const versions = new Set();
const once = () => new Promise((resolve) => {
  const request = http.get({ host: ${JSON.stringify(address)}, port: 8080, path: "/", agent, timeout: 20000 }, (response) => {
    let body = ""; response.on("data", (d) => { body += d; });
    response.on("end", () => { if (response.statusCode === 200) { ok++; versions.add(body.split(" ")[0]); } else failures.push(response.statusCode); resolve(); });
  });
  request.on("error", (error) => { failures.push(String(error)); resolve(); });
  request.on("timeout", () => request.destroy(new Error("timeout")));
});
(async () => { while (!fs.existsSync(${JSON.stringify(stop)})) await once(); console.log(JSON.stringify({ ok, failures, versions: [...versions] })); })();`;

test("skiff dev --hosted: app and HTTP-module edits are answered by the new code in the same boot, with state, on a kept-alive connection, past broken edits and through ten reloads under load", async (t) => {
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

  // A keep-alive connection opened before a reload is answered by the new code after it.
  const flag = path.join(dir, "keepalive.flag");
  const kept = network.spawn(["node", "-e", keepAliveClient(network.guestAddress, flag)]);
  let keptOut = "";
  kept.stdout!.setEncoding("utf8").on("data", (text: string) => { keptOut += text; });
  const keptDone = new Promise((resolve) => kept.once("close", resolve));
  for (let i = 0; i < 600 && !keptOut.includes("\n"); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  t.regex(keptOut, /^before h2 count=\d+\n$/);
  mark = output.length;
  fs.writeFileSync(path.join(appDir, "main.ts"), source("h3"));
  await waitFor(/skiff dev: reloaded devhosted \(main\.ts\)/, mark);
  fs.writeFileSync(flag, "");
  await Promise.race([keptDone, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  t.regex(keptOut, /^before h2 count=\d+\nafter h3 count=\d+\n$/, "one connection, both sides of the reload");

  // Broken edits are refused; the old code answers.
  mark = output.length;
  fs.writeFileSync(path.join(appDir, "main.ts"), "export default { fetch( ;\n");
  await waitFor(/skiff dev: devhosted not reloaded \(main\.ts\): the build failed/, mark);
  mark = output.length;
  fs.writeFileSync(path.join(appDir, "main.ts"), source("h4", 'throw new Error("h4 will not start");'));
  await waitFor(/skiff dev: devhosted not reloaded \(main\.ts\): Error: h4 will not start/, mark);
  t.regex(await curl(), /^h3 count=\d+\n$/);

  // Ten reloads under load: no request fails.
  const stop = path.join(dir, "load.stop");
  const load = network.execAsync(["node", "-e", loadGenerator(network.guestAddress, stop)], { timeoutMs: 300_000 });
  for (let version = 10; version < 20; version++) {
    mark = output.length;
    fs.writeFileSync(path.join(appDir, "main.ts"), source(`h${version}`));
    await waitFor(new RegExp(`skiff dev: reloaded devhosted \\(main\\.ts\\)`), mark);
    for (let tries = 0; tries < 200 && !(await curl()).startsWith(`h${version} `); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  fs.writeFileSync(stop, "");
  const summary = JSON.parse((await load).stdout.trim().split("\n").pop() ?? "{}") as { ok?: number; failures?: unknown[]; versions?: string[] };
  t.deepEqual(summary.failures, [], JSON.stringify(summary));
  t.true((summary.ok ?? 0) > 10, `only ${summary.ok} requests`);
  t.true(summary.versions?.includes("h19"), JSON.stringify(summary.versions));
});
