/**
 * The engine as patched (shim/quickjs/*.patch) against QuickJS's own tests, from the source
 * package the build unpacks, and ours in tests/fixtures/quickjs/: run with the host qjs
 * built from the same patched source (`make build/host/qjs`). The guest's engine differs
 * only in its allocator and flags, so a patch that breaks the language fails here in
 * seconds. The list is the source's `make test` without the tests that need threads
 * (test_worker) or shared libraries (test_bjson, test_point). A second host qjs, built with
 * every shape hash colliding (`make build/host/qjs-shape-collide`), runs a few of them again
 * for patch 0021.
 */
import test, { type ExecutionContext } from "ava";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";

const source = fs.readdirSync(path.join(paths.repoRoot, "build/quickjs"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name.startsWith("quickjs-"))
  .map((entry) => path.join(paths.repoRoot, "build/quickjs", entry.name))[0];
const qjs = path.join(paths.repoRoot, "build/host/qjs");
/** The same engine with every shape of a prototype hashing alike (patch 0021's test build). */
const qjsShapeCollide = path.join(paths.repoRoot, "build/host/qjs-shape-collide");

function run(args: readonly string[], cwd: string, binary = qjs): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
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

async function passesFixture(t: ExecutionContext, file: string, binary: string): Promise<void> {
  if (!fs.existsSync(binary)) return t.fail(`${path.relative(paths.repoRoot, binary)} is missing: run \`make ${path.relative(paths.repoRoot, binary)}\``);
  const { code, output } = await run(["-I", path.join(fixtures, "lib/check.js"), path.join(fixtures, file)], paths.repoRoot, binary);
  t.is(code, 0, output);
  t.regex(output, new RegExp(`^${file.replace(/\.js$/, "")}: ok$`, "m"));
  // Read here, not only by check.js: a broken engine can break the fixture's own checks
  // (a comparison that branches the wrong way printed FAIL and then "ok").
  t.notRegex(output, /^FAIL /m, output);
}

for (const file of fs.readdirSync(fixtures).filter((name) => name.endsWith(".js")).sort()) {
  test(`tests/fixtures/quickjs/${file} passes on the patched engine`, (t) => passesFixture(t, file, qjs));
}

// Patch 0021 skips comparing a found shape's earlier properties when its parent's content id
// says they are the shape's own; only a hash collision can make that comparison matter. In
// this build every shape of a prototype collides, so every lookup depends on it.
for (const args of [["tests/test_language.js"], ["--std", "tests/test_builtin.js"], ["tests/test_closure.js"]] as const) {
  test(`QuickJS's ${args[args.length - 1]} passes with every shape hash colliding`, async (t) => {
    if (source === undefined || !fs.existsSync(qjsShapeCollide)) return t.fail("build/host/qjs-shape-collide is missing: run `make build/host/qjs-shape-collide`");
    const { code, output } = await run(args, source, qjsShapeCollide);
    t.is(code, 0, output);
  });
}

test("tests/fixtures/quickjs/shape_transitions.js passes with every shape hash colliding", (t) => passesFixture(t, "shape_transitions.js", qjsShapeCollide));
