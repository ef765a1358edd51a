/**
 * The hot-reload benchmark (issue 6): how long a developer waits from saving a file to the
 * first answer from the new code, with Skiff's hot reload and with the alternatives.
 *
 *   skiff-dev     `skiff dev` on a counter app (qemu TCG, q35, user-mode network): --saves
 *                 saves, each timed on the host from the rename over main.ts to the first GET
 *                 (one every 5 ms) that answers with the new version; the split — rebuild,
 *                 transfer, load, swap — is skiff dev's own line for that reload.
 *                 Then --saves saves of the kernel's HTTP module (a copy of kernel-ts/ that
 *                 skiff dev watches, SKIFF_DEV_KERNEL_ROOT): each changes the reason phrase of
 *                 200, timed to the first response that carries it; and --saves saves of the
 *                 app API (kernel-ts/web): each makes Response's constructor set a header, timed
 *                 to the first response that carries it (the app loaded again onto the new API).
 *   skiff-dev-hosted  the same app under `skiff dev --hosted` (the kernel in quickjs-emscripten
 *                 in a worker thread), on a tap in a private namespace through tapbridge; each
 *                 save timed to the first new answer a poller in the namespace sees
 *                 (bench/http/first_200.ts with the version as PREFIX). Needs root.
 *   skiff-reboot  what a change costs without it: a fresh boot of the same Skiff VM and image
 *                 (qemu spawn → the first 200, polled every 10 ms), median of --boots.
 *   node-watch    the Linux guest (Debian's kernel, the host's Node, the same qemu flags) running
 *                 `node --watch server.js`: its /init rewrites the module holding the version
 *                 --saves times and times, inside the guest, each write → the first local GET
 *                 (busybox wget) answering with the new version (/proc/uptime: 10 ms steps).
 * Results: bench/results/reload-<date>.json and reload-latest.json, a table on stdout.
 *
 *   npx tsx bench/reload/run.ts [--saves 20] [--boots 5] [--mem 512M]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, skiffCmdline } from "../../host/launch/launch.ts";
import { paths } from "../../host/launch/paths.ts";
import { flag, whole, writeResults } from "../args.ts";
import { dynamicProgramFiles } from "../linux-guest/dynamic_program.ts";
import { prepareLinuxGuest } from "../linux-guest/mod.ts";
import { hostInfo, median, sourceInfo } from "../http/results.ts";
import { execInNamespace } from "../http/exec_in_namespace.ts";
import { createBenchNetwork } from "../net/private_network.ts";
import { pathToFileURL } from "node:url";

const saves = whole("--saves", 20);
const boots = whole("--boots", 5);
const linuxMemory = flag("--mem") ?? "512M";
const tsxLoader = pathToFileURL(path.join(paths.repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;
const pollerScript = path.join(paths.repoRoot, "bench", "http", "first_200.ts");
const log = (text: string): void => { process.stderr.write(`${text}\n`); };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function appSource(version: string): string {
  return `let count = 0;
const VERSION = "${version}";
export default {
  fetch(): Response { count++; return new Response(\`\${VERSION} count=\${count}\\n\`); },
  dispose(): { count: number } { return { count }; },
  start(state?: { count: number }): void { if (state !== undefined) count = state.count; },
};
`;
}

/**
 * One GET, given `timeoutMs`. qemu's user-mode network accepts a forwarded connection on the
 * host before the guest listens and then never answers it: a poll must give up on an attempt
 * soon (250 ms) or it times the attempt, not the guest.
 */
async function getText(port: number, timeoutMs = 250): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.status === 200 ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/** Polls every `intervalMs` until `read` of a response is `expected`; ms from `from`. */
async function untilSeen(port: number, expected: string, read: (response: Response) => string | null, from: number, intervalMs: number, timeoutMs: number): Promise<number> {
  for (;;) {
    let seen: string | null | undefined;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(250) });
      await response.arrayBuffer();
      seen = read(response);
      if (seen === expected) return performance.now() - from;
    } catch { /* not yet */ }
    if (performance.now() - from > timeoutMs) throw new Error(`no answer with ${JSON.stringify(expected)} in ${timeoutMs} ms (last: ${JSON.stringify(seen)})`);
    await sleep(intervalMs);
  }
}

/** Polls every `intervalMs` until the body starts with `prefix`; ms from `from`. */
async function until(port: number, prefix: string, from: number, intervalMs: number, timeoutMs: number): Promise<number> {
  for (;;) {
    const text = await getText(port);
    if (text?.startsWith(prefix)) return performance.now() - from;
    if (performance.now() - from > timeoutMs) throw new Error(`no answer starting with ${JSON.stringify(prefix)} in ${timeoutMs} ms (last: ${JSON.stringify(text)})`);
    await sleep(intervalMs);
  }
}

interface DevSave { readonly saveToAnswerMs: number; readonly rebuildMs: number; readonly transferMs: number; readonly loadMs: number; readonly swapMs: number }

async function skiffDev(appDir: string, kernelRoot: string, port: number): Promise<{ saves: DevSave[]; kernelSaves: DevSave[]; apiSaves: DevSave[]; bootId: string }> {
  const dev = spawn(process.execPath, ["--import", "tsx", "host/bin/skiff.ts", "dev", appDir, "--no-build", "--net", `user:${port}:8080`], {
    cwd: paths.repoRoot, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, SKIFF_DEV_KERNEL_ROOT: kernelRoot },
  });
  const lines: string[] = [];
  let partial = "";
  dev.stdout!.setEncoding("utf8").on("data", (text: string) => {
    partial += text;
    const parts = partial.split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  });
  const line = async (pattern: RegExp, after: number): Promise<string> => {
    for (let waited = 0; waited < 120_000; waited += 5) {
      const found = lines.slice(after).find((text) => pattern.test(text));
      if (found !== undefined) return found;
      await sleep(5);
    }
    throw new Error(`skiff dev printed no line matching ${pattern}:\n${lines.join("\n")}`);
  };
  try {
    const connected = await line(/^skiff dev: connected to boot/, 0);
    await line(/serving http:/, 0);
    await until(port, "v0 ", performance.now(), 10, 60_000);
    const results: DevSave[] = [];
    for (let i = 1; i <= saves; i++) {
      const seen = lines.length;
      const tmp = path.join(appDir, ".main.ts.tmp");
      fs.writeFileSync(tmp, appSource(`v${i}`));
      const saved = performance.now();
      fs.renameSync(tmp, path.join(appDir, "main.ts"));
      const saveToAnswerMs = await until(port, `v${i} `, saved, 5, 60_000);
      const reloaded = await line(/^skiff dev: reloaded /, seen);
      const split = /rebuild (\d+), transfer (\d+), load (\d+), swap (\d+)/.exec(reloaded);
      if (split === null) throw new Error(`cannot read ${reloaded}`);
      results.push({ saveToAnswerMs, rebuildMs: Number(split[1]), transferMs: Number(split[2]), loadMs: Number(split[3]), swapMs: Number(split[4]) });
      log(`skiff-dev save ${i}: ${saveToAnswerMs.toFixed(0)} ms (${reloaded.replace(/^skiff dev: /, "")})`);
      await sleep(100);
    }
    /** --saves saves of kernel module `module`'s `file` (in the copy of kernel-ts), each timed to the first response `read` shows it in. */
    const kernelSeries = async (module: string, file: string, edit: (text: string, i: number) => string, read: (response: Response) => string | null, expected: (i: number) => string): Promise<DevSave[]> => {
      const saved: DevSave[] = [];
      const original = fs.readFileSync(file, "utf8");
      for (let i = 1; i <= saves; i++) {
        const seen = lines.length;
        const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
        const edited = edit(original, i);
        if (edited === original) throw new Error(`the edit of ${file} changed nothing: the bench is out of date with the source`);
        fs.writeFileSync(tmp, edited);
        const at = performance.now();
        fs.renameSync(tmp, file);
        const saveToAnswerMs = await untilSeen(port, expected(i), read, at, 5, 60_000);
        const reloaded = await line(new RegExp(`^skiff dev: reloaded kernel module ${module} `), seen);
        const split = /rebuild (\d+), transfer (\d+), load (\d+), swap (\d+)/.exec(reloaded);
        if (split === null) throw new Error(`cannot read ${reloaded}`);
        saved.push({ saveToAnswerMs, rebuildMs: Number(split[1]), transferMs: Number(split[2]), loadMs: Number(split[3]), swapMs: Number(split[4]) });
        log(`skiff-dev ${module} save ${i}: ${saveToAnswerMs.toFixed(0)} ms (${reloaded.replace(/^skiff dev: /, "")})`);
        await sleep(100);
      }
      fs.writeFileSync(file, original);
      await line(new RegExp(`^skiff dev: reloaded kernel module ${module} `), lines.length);
      return saved;
    };
    // The kernel's HTTP module: each save changes the reason phrase of 200.
    const kernelResults = await kernelSeries("http", path.join(kernelRoot, "kernel-ts", "http", "response_head.ts"),
      (text, i) => text.replace('200: "OK",', `200: "OK ${i}",`), (response) => response.statusText, (i) => `OK ${i}`);
    // The app API: each save makes the Response constructor set a header; the app is loaded again onto it.
    const call = "initialize(this, options, extracted);";
    const apiResults = await kernelSeries("api", path.join(kernelRoot, "kernel-ts", "web", "fetch", "response.ts"),
      (text, i) => text.replace(call, `${call} this.#headers.set("x-api-save", "${i}");`), (response) => response.headers.get("x-api-save"), (i) => String(i));
    return { saves: results, kernelSaves: kernelResults, apiSaves: apiResults, bootId: /boot ([0-9a-f]+)/.exec(connected)![1]! };
  } finally {
    dev.kill("SIGTERM");
    await new Promise((resolve) => dev.once("exit", resolve));
  }
}

async function skiffReboot(image: string, port: number): Promise<number[]> {
  const runs: number[] = [];
  for (let i = 0; i < boots; i++) {
    const started = performance.now();
    const vm = launch({
      vmm: "qemu", machine: "q35", accel: "tcg", memory: "64M",
      cmdline: skiffCmdline("devcount", ""), initrd: image,
      devices: [{ kind: "net", backend: "user", hostPort: port, guestPort: 8080 }],
      timeoutMs: 120_000,
    });
    try {
      runs.push(await until(port, "v", started, 10, 110_000));
      log(`skiff-reboot ${i + 1}: ${runs.at(-1)!.toFixed(0)} ms`);
    } finally {
      vm.process.kill();
      await vm.result.catch(() => undefined);
    }
  }
  return runs;
}

/**
 * `skiff dev --hosted` (the kernel in quickjs-emscripten in a worker thread of skiff dev) on a
 * tap in a private namespace through tapbridge; each save is timed from the rename to the
 * first answer with the new version seen by a poller inside the namespace (bench/http/first_200.ts,
 * started and "ready" before the save; both read CLOCK_MONOTONIC).
 */
async function skiffDevHosted(appDir: string): Promise<DevSave[]> {
  const network = createBenchNetwork();
  const dev = spawn(process.execPath, ["--import", "tsx", "host/bin/skiff.ts", "dev", appDir, "--hosted", "--no-build",
    "--net", `tap:${network.ifname}`, "--netns", network.namespace, "--cmdline", `ip=${network.guestAddress}/30,gw=${network.hostAddress}`],
  { cwd: paths.repoRoot, stdio: ["ignore", "pipe", "inherit"], detached: true });
  let output = "";
  dev.stdout!.setEncoding("utf8").on("data", (text: string) => { output += text; });
  const line = async (pattern: RegExp, after: number): Promise<string> => {
    for (let waited = 0; waited < 120_000; waited += 5) {
      const match = pattern.exec(output.slice(after));
      if (match !== null) return match[0];
      await sleep(5);
    }
    throw new Error(`skiff dev --hosted printed no line matching ${pattern}:\n${output}`);
  };
  const url = `http://${network.guestAddress}:8080/`;
  try {
    await line(/serving http:.*\n/, 0);
    const results: DevSave[] = [];
    for (let i = 1; i <= saves; i++) {
      const seen = output.length;
      let markReady: () => void = () => {};
      const ready = new Promise<void>((resolve) => { markReady = resolve; });
      const poller = execInNamespace(network, [process.execPath, "--import", tsxLoader, pollerScript, url, "5", "60000", `h${i} `], 70_000, (text) => { if (text === "ready") markReady(); });
      await Promise.race([ready, poller]);
      const tmp = path.join(appDir, ".main.ts.tmp");
      fs.writeFileSync(tmp, appSource(`h${i}`));
      const savedNs = process.hrtime.bigint();
      fs.renameSync(tmp, path.join(appDir, "main.ts"));
      const polled = await poller;
      const answer = JSON.parse(polled.stdout.trim().split("\n").pop() ?? "{}") as { atNs?: string; error?: string };
      if (answer.atNs === undefined) throw new Error(`hosted save ${i}: ${answer.error ?? polled.stderr}`);
      const reloaded = await line(/skiff dev: reloaded .*\n/, seen);
      const split = /rebuild (\d+), transfer (\d+), load (\d+), swap (\d+)/.exec(reloaded);
      if (split === null) throw new Error(`cannot read ${reloaded}`);
      const saveToAnswerMs = Number(BigInt(answer.atNs) - savedNs) / 1e6;
      results.push({ saveToAnswerMs, rebuildMs: Number(split[1]), transferMs: Number(split[2]), loadMs: Number(split[3]), swapMs: Number(split[4]) });
      log(`skiff-dev-hosted save ${i}: ${saveToAnswerMs.toFixed(0)} ms (${reloaded.trim().replace(/^skiff dev: /, "")})`);
      await sleep(100);
    }
    return results;
  } finally {
    try {
      process.kill(-dev.pid!, "SIGTERM");
    } catch { /* gone already */ }
    await new Promise((resolve) => { if (dev.exitCode !== null) resolve(undefined); else dev.once("exit", resolve); });
    await network.close();
  }
}

const nodeServer = `const http = require("node:http");
const version = require("./version.js");
http.createServer((request, response) => {
  response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
  response.end(version + " hello\\n");
}).listen(8080);
`;

/** node --watch in the Linux guest: /init rewrites version.js in place and times each change → new answer. */
async function nodeWatch(): Promise<number[]> {
  const loop = [
    "ip link set lo up",
    "mkdir -p /tmp",
    "cd /srv",
    "node --watch server.js > /tmp/node.log 2>&1 &",
    "until wget -q -O - http://127.0.0.1:8080/ > /dev/null 2>&1; do usleep 20000; done",
    `for i in $(seq 1 ${saves}); do`,
    '  echo "module.exports = \\"v$i\\";" > version.js',
    "  read start rest < /proc/uptime",
    '  until wget -q -O - http://127.0.0.1:8080/ 2>/dev/null | grep -q "^v$i "; do usleep 10000; done',
    "  read end rest < /proc/uptime",
    '  echo "linux-reload: $(( (${end%.*} - ${start%.*}) * 100 + 1${end#*.} - 1${start#*.} ))"',
    "done",
  ].join("\n");
  const guest = prepareLinuxGuest({
    modules: [],
    run: loop,
    files: [...dynamicProgramFiles(process.execPath, "node"), { path: "srv/server.js", data: Buffer.from(nodeServer) }, { path: "srv/version.js", data: Buffer.from('module.exports = "v0";\n') }],
  });
  const runs: number[] = [];
  const vm = launch({
    vmm: "qemu", machine: "q35", accel: "tcg", memory: linuxMemory,
    kernel: guest.kernel, initrd: guest.initrd, cmdline: guest.cmdline, bareCmdline: true,
    timeoutMs: 1_800_000,
    onLine: (line) => {
      const match = /^linux-reload: (\d+)$/.exec(line.text);
      if (match !== null) {
        runs.push(Number(match[1]) * 10);
        log(`node-watch save ${runs.length}: ${runs.at(-1)} ms`);
      }
    },
  });
  const result = await vm.result;
  if (runs.length !== saves) throw new Error(`node --watch: ${runs.length} of ${saves} saves timed (${result.guest.ok ? `status ${result.guest.code}` : result.guest.reason}); console:\n${result.output.slice(-2000)}`);
  return runs;
}

const date = new Date().toISOString();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-reload-bench-"));
const appDir = path.join(dir, "devcount");
fs.mkdirSync(appDir);
fs.writeFileSync(path.join(appDir, "app.json"), JSON.stringify({ name: "devcount", entry: "main.ts", ports: [8080] }));
fs.writeFileSync(path.join(appDir, "main.ts"), appSource("v0"));
const port = 20000 + Math.floor(Math.random() * 20000);
try {
  const kernelRoot = path.join(dir, "kernel");
  fs.cpSync(path.join(paths.repoRoot, "kernel-ts"), path.join(kernelRoot, "kernel-ts"), { recursive: true });
  const dev = await skiffDev(appDir, kernelRoot, port);
  const hostedAppDir = path.join(dir, "devhosted");
  fs.mkdirSync(hostedAppDir);
  fs.writeFileSync(path.join(hostedAppDir, "app.json"), JSON.stringify({ name: "devhosted", entry: "main.ts", ports: [8080] }));
  fs.writeFileSync(path.join(hostedAppDir, "main.ts"), appSource("h0"));
  const hosted = await skiffDevHosted(hostedAppDir);
  const reboot = await skiffReboot(path.join(paths.appImagesDir, "dev", "devcount.img"), port + 1);
  const node = await nodeWatch();
  const med = (values: readonly number[]) => median([...values])!;
  const devMedian = med(dev.saves.map((save) => save.saveToAnswerMs));
  const results = {
    date, host: hostInfo(), source: sourceInfo(paths.image, path.join(paths.appImagesDir, "dev", "devcount.img")), accel: "tcg",
    skiffDev: {
      saves: dev.saves, medianSaveToAnswerMs: devMedian,
      medianSplitMs: { rebuild: med(dev.saves.map((s) => s.rebuildMs)), transfer: med(dev.saves.map((s) => s.transferMs)), load: med(dev.saves.map((s) => s.loadMs)), swap: med(dev.saves.map((s) => s.swapMs)) },
      oneBoot: dev.bootId,
    },
    skiffDevKernelModule: {
      module: "http", saves: dev.kernelSaves, medianSaveToAnswerMs: med(dev.kernelSaves.map((save) => save.saveToAnswerMs)),
      medianSplitMs: { rebuild: med(dev.kernelSaves.map((s) => s.rebuildMs)), transfer: med(dev.kernelSaves.map((s) => s.transferMs)), load: med(dev.kernelSaves.map((s) => s.loadMs)), swap: med(dev.kernelSaves.map((s) => s.swapMs)) },
    },
    skiffDevAppApi: {
      module: "api", saves: dev.apiSaves, medianSaveToAnswerMs: med(dev.apiSaves.map((save) => save.saveToAnswerMs)),
      medianSplitMs: { rebuild: med(dev.apiSaves.map((s) => s.rebuildMs)), transfer: med(dev.apiSaves.map((s) => s.transferMs)), load: med(dev.apiSaves.map((s) => s.loadMs)), swap: med(dev.apiSaves.map((s) => s.swapMs)) },
    },
    skiffDevHosted: {
      saves: hosted, medianSaveToAnswerMs: med(hosted.map((save) => save.saveToAnswerMs)),
      medianSplitMs: { rebuild: med(hosted.map((s) => s.rebuildMs)), transfer: med(hosted.map((s) => s.transferMs)), load: med(hosted.map((s) => s.loadMs)), swap: med(hosted.map((s) => s.swapMs)) },
    },
    skiffReboot: { runs: reboot, medianMs: med(reboot) },
    nodeWatchInLinuxGuest: { runs: node, medianMs: med(node), memory: linuxMemory },
    ratios: { rebootOverDev: med(reboot) / devMedian, nodeWatchOverDev: med(node) / devMedian },
  };
  const files = writeResults("reload", date, results);
  process.stdout.write([
    `save → first answer from the new code (median; TCG)`,
    `  skiff dev (hot reload)       ${devMedian.toFixed(0)} ms   (rebuild ${results.skiffDev.medianSplitMs.rebuild}, transfer ${results.skiffDev.medianSplitMs.transfer}, load ${results.skiffDev.medianSplitMs.load}, swap ${results.skiffDev.medianSplitMs.swap})`,
    `  skiff dev, HTTP module       ${results.skiffDevKernelModule.medianSaveToAnswerMs.toFixed(0)} ms   (rebuild ${results.skiffDevKernelModule.medianSplitMs.rebuild}, transfer ${results.skiffDevKernelModule.medianSplitMs.transfer}, load ${results.skiffDevKernelModule.medianSplitMs.load}, swap ${results.skiffDevKernelModule.medianSplitMs.swap})`,
    `  skiff dev, app API          ${results.skiffDevAppApi.medianSaveToAnswerMs.toFixed(0)} ms   (rebuild ${results.skiffDevAppApi.medianSplitMs.rebuild}, transfer ${results.skiffDevAppApi.medianSplitMs.transfer}, load ${results.skiffDevAppApi.medianSplitMs.load}, swap ${results.skiffDevAppApi.medianSplitMs.swap})`,
    `  skiff dev --hosted, an app   ${results.skiffDevHosted.medianSaveToAnswerMs.toFixed(0)} ms   (rebuild ${results.skiffDevHosted.medianSplitMs.rebuild}, transfer ${results.skiffDevHosted.medianSplitMs.transfer}, load ${results.skiffDevHosted.medianSplitMs.load}, swap ${results.skiffDevHosted.medianSplitMs.swap})`,
    `  Skiff VM reboot              ${med(reboot).toFixed(0)} ms   (${results.ratios.rebootOverDev.toFixed(1)}×)`,
    `  node --watch, Linux guest    ${med(node).toFixed(0)} ms   (${results.ratios.nodeWatchOverDev.toFixed(1)}×)`,
    `results: ${files.join(", ")}`,
    "",
  ].join("\n"));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
