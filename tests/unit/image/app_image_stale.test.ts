/**
 * When `skiff run` rebuilds an app image (host/build/app_image_build.ts staleReason): the
 * image is missing, or older than the manifest, a source esbuild read, an asset or qjsc, or
 * the assets folder holds other files than the image packed. Plays the build by writing the
 * image and its inputs record by hand, then moves file times.
 */
import test from "ava";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { filesUnder, staleReason } from "../../../host/build/app_image_build.ts";
import { readManifest } from "../../../host/build/manifest.ts";

function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-stale-"));
  const dir = path.join(root, "demo");
  fs.mkdirSync(path.join(dir, "assets", "sub"), { recursive: true });
  fs.writeFileSync(path.join(dir, "main.ts"), "import { x } from './lib.ts'; export default { main() { return x; } };\n");
  fs.writeFileSync(path.join(dir, "lib.ts"), "export const x = 0;\n");
  fs.writeFileSync(path.join(dir, "assets", "a.txt"), "a");
  fs.writeFileSync(path.join(dir, "assets", "sub", "b.txt"), "b");
  fs.writeFileSync(path.join(dir, "app.json"), JSON.stringify({ name: "demo", entry: "main.ts", assets: "assets" }));
  const qjsc = path.join(root, "qjsc");
  fs.writeFileSync(qjsc, "");
  const out = path.join(root, "out");
  fs.mkdirSync(out);
  const app = readManifest(dir);
  const past = new Date(Date.now() - 60_000);
  for (const file of [path.join(dir, "main.ts"), path.join(dir, "lib.ts"), path.join(dir, "app.json"), qjsc, path.join(dir, "assets", "a.txt"), path.join(dir, "assets", "sub", "b.txt")]) fs.utimesSync(file, past, past);
  /** What a build leaves: the image and the record of its inputs, now. */
  const build = () => {
    fs.writeFileSync(path.join(out, "demo.img"), "image");
    fs.writeFileSync(path.join(out, "demo.inputs.json"), JSON.stringify({ inputs: [path.join(dir, "main.ts"), path.join(dir, "lib.ts")], assets: filesUnder(app.assetsDir!) }));
  };
  const touch = (file: string) => { const future = new Date(Date.now() + 60_000); fs.utimesSync(file, future, future); };
  return { root, dir, app, qjsc, out, build, touch, stale: () => staleReason(readManifest(dir), out, qjsc) };
}

test("a missing image, or a missing inputs record, is stale", (t) => {
  const s = setup();
  t.teardown(() => fs.rmSync(s.root, { recursive: true, force: true }));
  t.regex(s.stale() ?? "", /demo\.img does not exist$/);
  fs.writeFileSync(path.join(s.out, "demo.img"), "image");
  t.regex(s.stale() ?? "", /demo\.inputs\.json \(the list of its sources\) is missing$/);
  s.build();
  t.is(s.stale(), undefined);
});

for (const [what, file] of [["an imported source", "lib.ts"], ["the manifest", "app.json"], ["an asset in a subfolder", "assets/sub/b.txt"]] as const) {
  test(`${what} newer than the image makes it stale`, (t) => {
    const s = setup();
    t.teardown(() => fs.rmSync(s.root, { recursive: true, force: true }));
    s.build();
    t.is(s.stale(), undefined);
    s.touch(path.join(s.dir, file));
    t.is(s.stale(), `${path.join(s.dir, file)} changed`);
  });
}

test("a newer qjsc makes it stale", (t) => {
  const s = setup();
  t.teardown(() => fs.rmSync(s.root, { recursive: true, force: true }));
  s.build();
  s.touch(s.qjsc);
  t.is(s.stale(), `${s.qjsc} changed`);
});

test("an asset added or removed makes it stale, and so does a deleted source", (t) => {
  const s = setup();
  t.teardown(() => fs.rmSync(s.root, { recursive: true, force: true }));
  s.build();
  fs.writeFileSync(path.join(s.dir, "assets", "new.txt"), "n");
  t.is(s.stale(), "its assets folder holds other files than the image");
  fs.rmSync(path.join(s.dir, "assets", "new.txt"));
  t.is(s.stale(), undefined);
  fs.rmSync(path.join(s.dir, "assets", "sub", "b.txt"));
  t.is(s.stale(), "its assets folder holds other files than the image");
  s.build();
  fs.rmSync(path.join(s.dir, "lib.ts"));
  t.is(s.stale(), `${path.join(s.dir, "lib.ts")} is gone`);
});
