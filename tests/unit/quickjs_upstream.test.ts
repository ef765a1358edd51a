/**
 * The engine as patched (shim/quickjs/*.patch) against QuickJS's own tests, from the source
 * package the build unpacks, and ours in tests/fixtures/quickjs/: run with the host qjs
 * built from the same patched source (`make build/host/qjs`). The guest's engine differs
 * only in its allocator and flags, so a patch that breaks the language fails here in
 * seconds. The list is the source's `make test` without the tests that need threads
 * (test_worker) or shared libraries (test_bjson, test_point).
 */
import test from "ava";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";

const source = fs.readdirSync(path.join(paths.repoRoot, "build/quickjs"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name.startsWith("quickjs-"))
  .map((entry) => path.join(paths.repoRoot, "build/quickjs", entry.name))[0];
const qjs = path.join(paths.repoRoot, "build/host/qjs");

function run(args: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(qjs, args, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (typeof error.code === "number" ? error.code : null), output: `${stdout}${stderr}` });
    });
  });
}

const upstream: readonly (readonly string[])[] = [
  ["tests/test_closure.js"],
  ["tests/test_language.js"],
  ["--std", "tests/test_builtin.js"],
  ["tests/test_loop.js"],
  ["tests/test_bigint.js"],
  ["tests/test_std.js"],
  ["tests/test_cyclic_import.js"],
];

for (const args of upstream) {
  test(`QuickJS's ${args[args.length - 1]} passes on the patched engine`, async (t) => {
    if (source === undefined || !fs.existsSync(qjs)) return t.fail("build/host/qjs or the QuickJS source is missing: run `make build/host/qjs`");
    const { code, output } = await run(args, source);
    t.is(code, 0, output);
  });
}

// Ours: each fixture, with lib/check.js included first, prints "NAME: ok" last and exits 0
// (tdz.js for patch 0014, fields.js for 0015, erased_checks.js for 0019).
const fixtures = path.join(paths.repoRoot, "tests/fixtures/quickjs");
for (const file of fs.readdirSync(fixtures).filter((name) => name.endsWith(".js")).sort()) {
  test(`tests/fixtures/quickjs/${file} passes on the patched engine`, async (t) => {
    if (!fs.existsSync(qjs)) return t.fail("build/host/qjs is missing: run `make build/host/qjs`");
    const { code, output } = await run(["-I", path.join(fixtures, "lib/check.js"), path.join(fixtures, file)], paths.repoRoot);
    t.is(code, 0, output);
    t.regex(output, new RegExp(`^${file.replace(/\.js$/, "")}: ok$`, "m"));
    // Read here, not only by check.js: a broken engine can break the fixture's own checks
    // (a comparison that branches the wrong way printed FAIL and then "ok").
    t.notRegex(output, /^FAIL /m, output);
  });
}
