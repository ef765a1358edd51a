/**
 * An app image under the hosted-quickjs runner (`skiff run --hosted` passes build/apps/APP.img):
 * the kernel runs test-image-only — which is not among the linked bundles — from the image's
 * /app/NAME.js, the app reads its asset through bootImage(), the HAL checks pass with the image,
 * and a corrupt image is refused with status 1. The image is made here with the build's own
 * esbuild options and writer; its bytecode entry is a stand-in (hosted platforms run the bundle).
 */
import test from "ava";
import { build } from "esbuild";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeAppImage } from "../../host/build/app_image.ts";
import { appBundle } from "../../host/build/esbuild_options.ts";
import { filesUnder } from "../../host/build/app_image_build.ts";
import { readManifest } from "../../host/build/manifest.ts";
import { runHostedApp } from "../helpers/hosted.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-hosted-image-"));
const imageFile = path.join(dir, "test-image-only.img");
const corruptFile = path.join(dir, "corrupt.img");
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

test.before(async () => {
  const app = readManifest("apps/test-image-only");
  const bundle = path.join(dir, "apps", "test-image-only.js");
  await build({ ...appBundle, entryPoints: [app.entryPath], outfile: bundle });
  const assets = filesUnder(app.assetsDir!).map((file) => ({ path: `/app/assets/${file}`, data: new Uint8Array(fs.readFileSync(path.join(app.assetsDir!, file))) }));
  const image = writeAppImage({ format: 1, app: app.manifest, engine: { quickjs: "2025-04-26", bytecodeVersion: 4 } }, [
    { path: "/app/test-image-only.bc", data: new Uint8Array([4]) },
    { path: "/app/test-image-only.js", data: new Uint8Array(fs.readFileSync(bundle)) },
    ...assets,
  ]);
  fs.writeFileSync(imageFile, image);
  const corrupt = image.slice();
  corrupt[image.length - 2]! ^= 0x01;
  fs.writeFileSync(corruptFile, corrupt);
});

test("hosted: test-image-only runs from the image and reads its asset", async (t) => {
  const run = await runHostedApp("test-image-only", "", 60_000, imageFile);
  t.true(run.text.includes('test-image-only: asset greeting.txt = "Hello from an asset in the app image!\\n"'), run.output);
  t.is(run.status, 0);
});

test("hosted: without the image, test-image-only is not found", async (t) => {
  const run = await runHostedApp("test-image-only");
  t.true(run.text.includes("skiff: app test-image-only not found"), run.output);
  t.is(run.status, 1);
});

test("hosted: selftest=hal passes every check with the image", async (t) => {
  const run = await runHostedApp("hello", "selftest=hal", 60_000, imageFile);
  t.true(run.text.includes("hal-conformance: ok loadApp-runs-the-boot-image's-app"), run.output);
  t.regex(run.text.find((line) => /^hal-conformance: \d+ passed/.test(line)) ?? "", / 0 failed$/, run.output);
  t.is(run.status, 0);
});

test("hosted: a corrupt image is refused with a clear message, status 1", async (t) => {
  const run = await runHostedApp("hello", "", 60_000, corruptFile);
  t.true(run.text.some((line) => /^skiff: app hello failed: AppImageError: Cannot read the app image: the image is corrupt: /.test(line)), run.output);
  t.is(run.status, 1);
});
