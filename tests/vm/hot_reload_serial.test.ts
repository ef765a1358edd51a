/**
 * Hot reload over the serial port (`skiff dev --devchannel serial`): the transport
 * cloud-hypervisor needs (`--serial socket=PATH`, its --console having no socket backend),
 * exercised here under qemu with the same arrangement — the development channel on the
 * 16550 on a Unix socket, the kernel's console on a virtio-console port on stdout, and
 * devchannel=serial on the command line (shim/include/console.h). An edit is answered by the
 * new code in the same boot, with its state; a refused edit leaves the old code answering;
 * the console's lines arrive through virtio-console all along. `skiff dev` is killed at the
 * end; its VM dies with it.
 */
import test from "ava";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import { stopDev } from "../helpers/dev_process.ts";
import { requireImage } from "../helpers/vm.ts";

const PORT = 20000 + Math.floor(Math.random() * 20000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-dev-serial-"));
const appDir = path.join(dir, "devserial");

const source = (version: string, extra = ""): string => `let count = 0;
export default {
  fetch(): Response { count++; return new Response(\`${version} count=\${count}\\n\`); },
  dispose(): { count: number } { return { count }; },
  start(state?: { count: number }): void { ${extra} if (state !== undefined) count = state.count; },
};
`;

function save(text: string): void {
  fs.writeFileSync(path.join(appDir, ".main.ts.tmp"), text);
  fs.renameSync(path.join(appDir, ".main.ts.tmp"), path.join(appDir, "main.ts"));
}

async function get(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${PORT}/`, { signal: AbortSignal.timeout(20_000) });
  return response.text();
}

let dev: ChildProcess | undefined;
const out: string[] = [];

async function line(pattern: RegExp, from = 0, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = out.slice(from).find((text) => pattern.test(text));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern}:\n${out.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test.before(() => {
  requireImage();
  fs.mkdirSync(appDir);
  fs.writeFileSync(path.join(appDir, "app.json"), JSON.stringify({ name: "devserial", entry: "main.ts", ports: [8080] }));
  fs.writeFileSync(path.join(appDir, "main.ts"), source("v1"));
  dev = spawn(process.execPath, ["--import", "tsx", "host/bin/skiff.ts", "dev", appDir, "--no-build", "--devchannel", "serial", "--net", `user:${PORT}:8080`], {
    cwd: paths.repoRoot, stdio: ["ignore", "pipe", "pipe"],
  });
  let partial = "";
  dev.stdout!.setEncoding("utf8").on("data", (text: string) => {
    const lines = (partial + text).split("\n");
    partial = lines.pop()!;
    out.push(...lines);
  });
  dev.stderr!.setEncoding("utf8").on("data", (text: string) => out.push(`stderr: ${text.trimEnd()}`));
});

test.after.always(async () => {
  await stopDev(dev);
  fs.rmSync(dir, { recursive: true, force: true });
});

test.serial("over the serial port: an edit is answered by the new code in the same boot, a refused one leaves the old code answering", async (t) => {
  const connected = await line(/^skiff dev: connected to boot ([0-9a-f]{16})/);
  const boot = /boot ([0-9a-f]{16})/.exec(connected)![1]!;
  await line(/^skiff: app devserial serving http:/); // the console, through virtio-console
  t.is(await get(), "v1 count=1\n");
  let from = out.length;
  save(source("v2"));
  const reloaded = await line(/^skiff dev: (reloaded devserial|devserial not reloaded)/, from);
  t.regex(reloaded, new RegExp(`^skiff dev: reloaded devserial \\(main\\.ts\\) in \\d+ ms: rebuild \\d+, transfer \\d+, load \\d+, swap \\d+ \\(boot ${boot}, `));
  t.is(await get(), "v2 count=2\n", "the new code, the count handed over");
  from = out.length;
  save(source("v3", 'throw new Error("v3 refuses to start");'));
  t.regex(await line(/^skiff dev: (reloaded devserial|devserial not reloaded)/, from), /^skiff dev: devserial not reloaded \(main\.ts\): Error: v3 refuses to start/);
  t.is(await get(), "v2 count=3\n", "the old code still answers");
  t.false(out.some((text) => /SKDV|protocol/i.test(text)), "no channel bytes on the console, no protocol error");
});
