/**
 * Platform.loadApp's boot-image rule on the TypeScript platforms (fake, hosted-node): the
 * image's app wins over a built-in app of the same name, an image without the app falls back
 * to the built-in apps, and a corrupt image makes loadApp reject — which the kernel reports
 * as the app's failure, status 1.
 */
import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeAppImage } from "../../../host/build/app_image.ts";
import { NodePlatform } from "../../../host/hosted/node_platform.ts";
import { PoweredOff } from "../../../kernel-ts/hal/fake.ts";
import { NotFound, type ModuleNamespace } from "../../../kernel-ts/hal/platform.ts";
import { AppImageError } from "../../../kernel-ts/image/read_image.ts";
import { start } from "../../../kernel-ts/main.ts";
import { makeFake } from "../helpers/fake.ts";

const manifest = { name: "hello", entry: "main.ts", ports: [], env: {}, cpuBudgetMs: 100, linked: true };
const engine = { quickjs: "2025-04-26", bytecodeVersion: 4 };
const source = (where: string) => new TextEncoder().encode(`export default { where: ${JSON.stringify(where)}, main(env, scope) { scope.console.log("hello from ${where}"); return 0; } };\n`);
const helloImage = writeAppImage({ format: 1, app: manifest, engine }, [
  { path: "/app/hello.bc", data: new Uint8Array([4]) },
  { path: "/app/hello.js", data: source("the image") },
]);
const otherImage = writeAppImage({ format: 1, app: { ...manifest, name: "other" }, engine }, [{ path: "/app/other.js", data: source("other") }]);
const corrupt = helloImage.slice();
corrupt[40]! ^= 0x10;

let loads = 0;
const evaluate = async (text: string, url: string) =>
  (await import(`data:text/javascript;base64,${Buffer.from(`${text}\n//# sourceURL=${url}?load=${++loads}`).toString("base64")}`)) as ModuleNamespace;
const builtIn = () => ({ default: { where: "built in", main: () => 0 } });
const where = (namespace: ModuleNamespace | NotFound) => (namespace === NotFound ? NotFound : (namespace["default"] as { where: string }).where);

const appsDir = mkdtempSync(join(tmpdir(), "skiff-image-apps-"));
writeFileSync(join(appsDir, "hello.js"), source("build/js/apps"));
test.after.always(() => rmSync(appsDir, { recursive: true, force: true }));

test("fake: the boot image's app wins over the built-in one", async (t) => {
  const fake = makeFake({ apps: { hello: builtIn }, bootImage: helloImage, evaluate });
  t.is(where(await fake.loadApp("hello")), "the image");
});

test("fake: an image without the app falls back to the built-in apps", async (t) => {
  const fake = makeFake({ apps: { hello: builtIn }, bootImage: otherImage, evaluate });
  t.is(where(await fake.loadApp("hello")), "built in");
  t.is(await fake.loadApp("nothing"), NotFound);
});

test("fake: a corrupt image refuses every load", async (t) => {
  const fake = makeFake({ apps: { hello: builtIn }, bootImage: corrupt, evaluate });
  await t.throwsAsync(fake.loadApp("hello"), { instanceOf: AppImageError, message: /^Cannot read the app image: the image is corrupt: / });
  await t.throwsAsync(fake.loadApp("other"), { instanceOf: AppImageError });
});

test("fake: an image app with no evaluate option is a clear error", async (t) => {
  const fake = makeFake({ bootImage: helloImage });
  await t.throwsAsync(fake.loadApp("hello"), { instanceOf: TypeError, message: "Cannot load app hello from the boot image: the fake was given no evaluate option" });
});

test("the kernel reports a corrupt boot image as the app's failure, status 1", async (t) => {
  const fake = makeFake({ cmdline: "app=hello", apps: { hello: builtIn }, bootImage: corrupt, evaluate });
  const off = await t.throwsAsync(start(fake), { instanceOf: PoweredOff });
  t.is(off?.code, 1);
  t.regex(fake.text(), /^skiff: app hello failed: AppImageError: Cannot read the app image: the image is corrupt: its CRC-32 is 0x[0-9a-f]{8}, the header says 0x[0-9a-f]{8}$/m);
});

test("the kernel runs the boot image's app", async (t) => {
  const fake = makeFake({ cmdline: "app=hello", apps: { hello: builtIn }, bootImage: helloImage, evaluate });
  const off = await t.throwsAsync(start(fake), { instanceOf: PoweredOff });
  t.is(off?.code, 0);
  t.regex(fake.text(), /^hello from the image$/m);
});

for (const [label, image, expected] of [
  ["an image of it", helloImage, "the image"],
  ["an image of another app", otherImage, "build/js/apps"],
] as const) {
  test(`hosted-node with ${label}: loadApp("hello") comes from ${expected}`, async (t) => {
    const platform = new NodePlatform({ appsDir, write: () => {}, bootImage: image });
    try {
      t.is(where(await platform.loadApp("hello")), expected);
    } finally {
      platform.dispose();
    }
  });
}

test("hosted-node reads the image file it is given, and refuses a corrupt one", async (t) => {
  const file = join(appsDir, "corrupt.img");
  writeFileSync(file, corrupt);
  const platform = new NodePlatform({ appsDir, write: () => {}, bootImage: file });
  try {
    t.deepEqual(platform.bootImage(), corrupt);
    await t.throwsAsync(platform.loadApp("hello"), { instanceOf: AppImageError, message: /the image is corrupt/ });
  } finally {
    platform.dispose();
  }
});
