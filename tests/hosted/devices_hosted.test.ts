/**
 * The hosted devices inside quickjs-emscripten: the kernel bundle's selftest=hal passes
 * every check, device checks included, with a UDP network and a disk file attached
 * (the `--net dgram:…` and `--disk FILE[,ro]` options of the hosted runner).
 */
import test from "ava";
import fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDiskFlag, parseNetFlag } from "../../host/hosted/device_flags.ts";
import { runHosted } from "../../host/hosted/quickjs_runner.ts";
import { skiffCmdline } from "../../host/launch/launch.ts";
import { paths } from "../../host/launch/paths.ts";

const dir = fs.mkdtempSync(join(tmpdir(), "skiff-hosted-disk-"));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

async function selftest(disk: string): Promise<{ output: string; status: number }> {
  const chunks: Uint8Array[] = [];
  const result = await runHosted({
    kernelBundle: paths.kernelBundle,
    appBundlesDir: paths.appBundlesDir,
    cmdline: skiffCmdline("hello", "selftest=hal"),
    write: (bytes) => chunks.push(bytes),
    timeoutMs: 60_000,
    net: parseNetFlag("dgram:0:9"),
    disk: parseDiskFlag(disk),
  });
  return { output: Buffer.concat(chunks).toString("utf8"), status: result.status };
}

for (const readOnly of [false, true]) {
  test(`selftest=hal passes with a UDP network and a ${readOnly ? "read-only" : "writable"} disk`, async (t) => {
    const path = join(dir, readOnly ? "ro.img" : "rw.img");
    const original = new Uint8Array(32 * 512).map((_, i) => i & 0xff);
    fs.writeFileSync(path, original);
    const run = await selftest(readOnly ? `${path},ro` : path);
    const failures = run.output.split("\n").filter((line) => line.includes("FAIL"));
    t.deepEqual(failures, [], run.output);
    t.regex(run.output, /hal-conformance: ok block-writes-flush-and-read-back-the-last-8-sectors/);
    t.is(run.status, 0, run.output);
    t.deepEqual(new Uint8Array(fs.readFileSync(path)), original, "the check puts the last 8 sectors back");
  });
}
