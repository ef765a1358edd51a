/**
 * The app manifest reader (host/build/manifest.ts over kernel-ts/image/manifest.ts): defaults,
 * every optional key, and a clear error — naming the file and every problem — for unknown
 * keys, wrong types, values out of range, a missing entry, a name that is not the folder's.
 */
import test from "ava";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listApps } from "../../../host/build/apps.ts";
import { ManifestReadError, readManifest } from "../../../host/build/manifest.ts";
import { checkManifest, ManifestError } from "../../../kernel-ts/image/manifest.ts";

const root = mkdtempSync(join(tmpdir(), "skiff-manifest-"));
test.after.always(() => rmSync(root, { recursive: true, force: true }));

let made = 0;
/** An app folder named `name` holding app.json = `manifest` (a string is written as is) and main.ts. */
function appDir(manifest: unknown, name = "demo", files: readonly string[] = ["main.ts"]): string {
  const dir = join(root, String(made++), name);
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), "export default { main() { return 0; } };\n");
  }
  writeFileSync(join(dir, "app.json"), typeof manifest === "string" ? manifest : JSON.stringify(manifest));
  return dir;
}

function readError(dir: string): string {
  try {
    readManifest(dir);
  } catch (error) {
    if (error instanceof ManifestReadError) return error.message;
    throw error;
  }
  throw new Error(`readManifest(${dir}) did not throw`);
}

test("a manifest with name and entry gets every default", (t) => {
  const app = readManifest(appDir({ name: "demo", entry: "main.ts" }));
  t.deepEqual(app.manifest, { name: "demo", entry: "main.ts", ports: [], env: {}, cpuBudgetMs: 100, linked: true });
  t.is(app.name, "demo");
  t.true(app.entryPath.endsWith(join("demo", "main.ts")));
  t.is(app.assetsDir, undefined);
});

test("every optional key is read and kept", (t) => {
  const dir = appDir({
    name: "demo", entry: "src/main.ts", ports: [8080, 443], env: { GREETING: "hi", _X1: "" },
    assets: "static/", memoryMb: 32, cpuBudgetMs: 250, linked: false,
  }, "demo", ["src/main.ts", "static/index.html"]);
  const app = readManifest(dir);
  t.deepEqual(app.manifest, {
    name: "demo", entry: "src/main.ts", ports: [8080, 443], env: { GREETING: "hi", _X1: "" },
    assets: "static", memoryMb: 32, cpuBudgetMs: 250, linked: false,
  });
  t.is(app.assetsDir, join(dir, "static"));
});

test("an unknown key is an error that names it and the known keys", (t) => {
  const message = readError(appDir({ name: "demo", entry: "main.ts", port: 80 }));
  t.regex(message, /^Cannot read app manifest .*demo\/app\.json: unknown key "port" \(known: name, entry, ports, env, assets, memoryMb, cpuBudgetMs, linked, restart\)$/);
});

test("wrong types are errors, all of them in one message", (t) => {
  const message = readError(appDir({ name: "demo", entry: "main.ts", ports: ["80"], env: { A: 1 }, memoryMb: 0, cpuBudgetMs: 1.5, linked: "no" }));
  t.regex(message, /"ports" must be an array of port numbers/);
  t.regex(message, /"env" value of A must be a string \(got number\)/);
  t.regex(message, /"memoryMb" must be an integer from 1 to/);
  t.regex(message, /"cpuBudgetMs" must be an integer from 1 to/);
  t.regex(message, /"linked" must be true or false/);
});

test("ports out of range or repeated, env that is not an object, bad env keys", (t) => {
  t.regex(readError(appDir({ name: "demo", entry: "main.ts", ports: [0] })), /"ports" must be an array of port numbers \(integers 1–65535\)/);
  t.regex(readError(appDir({ name: "demo", entry: "main.ts", ports: [65536] })), /"ports" must be/);
  t.regex(readError(appDir({ name: "demo", entry: "main.ts", ports: [80, 80] })), /"ports" lists a port twice/);
  t.regex(readError(appDir({ name: "demo", entry: "main.ts", env: ["A=1"] })), /"env" must be an object of string values/);
  t.regex(readError(appDir({ name: "demo", entry: "main.ts", env: { "1X": "a" } })), /"env" key "1X" must be letters/);
});

test("a missing entry key, and an entry file that does not exist, are errors", (t) => {
  t.regex(readError(appDir({ name: "demo" })), /"entry" is missing/);
  t.regex(readError(appDir({ name: "demo", entry: "nope.ts" })), /"entry" "nope\.ts": .*nope\.ts does not exist/);
  t.regex(readError(appDir({ name: "demo", entry: "../outside.ts" })), /"entry" "\.\.\/outside\.ts" must stay inside the app's folder/);
  t.regex(readError(appDir({ name: "demo", entry: "/abs/main.ts" })), /must be a relative path/);
});

test("the name must be valid and be the folder's", (t) => {
  t.regex(readError(appDir({ entry: "main.ts" })), /"name" is missing/);
  t.regex(readError(appDir({ name: "Demo", entry: "main.ts" }, "Demo")), /"name" must match/);
  t.regex(readError(appDir({ name: "other", entry: "main.ts" })), /"name" is "other" but the app's folder is "demo": they must be the same/);
});

test("an assets folder that does not exist is an error", (t) => {
  t.regex(readError(appDir({ name: "demo", entry: "main.ts", assets: "static" })), /"assets" "static": .* is not a folder/);
});

test("a file that is not JSON, or not an object, or missing, is an error naming it", (t) => {
  t.regex(readError(appDir("{ name: demo }")), /^Cannot read app manifest .*app\.json: not JSON: /);
  t.regex(readError(appDir("[]")), /the manifest must be a JSON object/);
  const empty = join(root, "no-manifest");
  mkdirSync(empty, { recursive: true });
  t.regex(readError(empty), /app\.json: the file does not exist/);
});

test("checkManifest throws ManifestError listing every problem", (t) => {
  const error = t.throws(() => checkManifest({ entry: 5, extra: true }), { instanceOf: ManifestError });
  t.deepEqual(error?.problems, [
    'unknown key "extra" (known: name, entry, ports, env, assets, memoryMb, cpuBudgetMs, linked, restart)',
    '"name" is missing',
    `"entry" must be a non-empty string (a path relative to the app's folder)`,
  ]);
});

test("every app in apps/ has a manifest the reader accepts", (t) => {
  const apps = listApps("apps");
  t.true(apps.some((app) => app.name === "hello"));
  const imageOnly = apps.find((app) => app.name === "test-image-only");
  t.is(imageOnly?.manifest.linked, false);
  t.is(imageOnly?.manifest.cpuBudgetMs, 250);
});
