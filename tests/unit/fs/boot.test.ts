/**
 * startFiles (kernel-ts/fs/boot.ts) on the fake platform: the mounts, skiff:fs defined for
 * apps, /dev/console on the platform's console, /tmp's budget from the memory limit, and
 * /app from the boot image: its /app/assets/… entries at the same paths, its bytecode and
 * bundle hidden, nothing without an image or with an unusable one.
 */
import test from "ava";
import { writeAppImage } from "../../../host/build/app_image.ts";
import { startFiles } from "../../../kernel-ts/fs/mod.ts";
import type { ImageMetadata } from "../../../kernel-ts/image/metadata.ts";
import { makeFake } from "../helpers/fake.ts";
import { utf8 } from "./helpers.ts";

const METADATA: ImageMetadata = {
  format: 1,
  app: { name: "site", entry: "main.ts", ports: [8080], env: {}, assets: "public", cpuBudgetMs: 100, linked: false },
  engine: { quickjs: "2025-04-26", bytecodeVersion: 4 },
};
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
const SITE = writeAppImage(METADATA, [
  { path: "/app/site.bc", data: Uint8Array.from([4, 1, 2, 3]) },
  { path: "/app/site.js", data: utf8("export default {};\n") },
  { path: "/app/assets/index.html", data: utf8("<h1>hi</h1>\n") },
  { path: "/app/assets/img/logo.png", data: PNG },
  { path: "/app/assets/empty.txt", data: new Uint8Array(0) },
]);

const MEMORY = { heapTotal: 64 << 20, heapUsed: 0, heapPeak: 0, jsLimit: 0 };

test("mounts /, /tmp, /dev and /app", (t) => {
  const { vfs } = startFiles({ platform: makeFake() });
  t.deepEqual(vfs.mounts(), [
    { path: "/", type: "imagefs" }, { path: "/tmp", type: "ramfs" }, { path: "/dev", type: "devfs" }, { path: "/app", type: "imagefs" },
  ]);
});

test("apps import skiff:fs, and its functions are the VFS's API", async (t) => {
  const platform = makeFake({
    apps: { probe: (importModule) => ({ default: importModule("skiff:fs") }) },
  });
  const { api } = startFiles({ platform });
  const loaded = await platform.loadApp("probe");
  const module = (loaded as { default: Record<string, unknown> }).default;
  for (const name of ["readFile", "writeFile", "appendFile", "readdir", "stat", "lstat", "mkdir", "rm", "rmdir", "unlink", "rename", "access", "chmod", "truncate", "open", "constants", "FsError"]) {
    t.is(module[name], (api as unknown as Record<string, unknown>)[name], name);
  }
});

test("/dev/console writes reach the platform console", async (t) => {
  const platform = makeFake();
  const { api } = startFiles({ platform });
  await api.writeFile("/dev/console", "through the device\n");
  t.is(platform.text(), "through the device\n");
});

test("/tmp may hold a quarter of the memory limit", async (t) => {
  const platform = makeFake({ memoryStats: { ...MEMORY, heapTotal: 4000 } });
  const { api } = startFiles({ platform });
  await api.writeFile("/tmp/a", new Uint8Array(1000));
  await t.throwsAsync(api.appendFile("/tmp/a", "x"), { code: "ENOSPC" });
  const limited = startFiles({ platform: makeFake({ memoryStats: { ...MEMORY, jsLimit: 400 } }) });
  await t.throwsAsync(limited.api.writeFile("/tmp/a", new Uint8Array(101)), { code: "ENOSPC" }, "the JS limit, when there is one");
  const given = startFiles({ platform: makeFake(), tmpBytes: 10 });
  await t.throwsAsync(given.api.writeFile("/tmp/a", new Uint8Array(11)), { code: "ENOSPC" });
});

test("/app holds the boot image's assets at the image's paths, read-only; its code is hidden", async (t) => {
  const { api } = startFiles({ platform: makeFake({ bootImage: SITE }) });
  t.deepEqual(await api.readdir("/app"), ["assets"]);
  t.deepEqual(await api.readdir("/app", { recursive: true }), ["assets", "assets/empty.txt", "assets/img", "assets/index.html", "assets/img/logo.png"]);
  t.is(await api.readFile("/app/assets/index.html", "utf8"), "<h1>hi</h1>\n");
  t.deepEqual([...(await api.readFile("/app/assets/img/logo.png"))], [...PNG]);
  t.like(await api.stat("/app/assets/img/logo.png"), { size: PNG.length, mode: 0o100444 });
  t.is((await api.readFile("/app/assets/empty.txt")).length, 0);
  await t.throwsAsync(api.readFile("/app/site.bc"), { code: "ENOENT" });
  await t.throwsAsync(api.readFile("/app/site.js"), { code: "ENOENT" });
  await t.throwsAsync(api.writeFile("/app/assets/index.html", "x"), { code: "EROFS" });
  await t.throwsAsync(api.writeFile("/app/assets/new.txt", "x"), { code: "EROFS" });
});

test("/app's files are views of the image, not copies", async (t) => {
  const image = SITE.slice();
  const { api } = startFiles({ platform: makeFake({ bootImage: image }) });
  image[image.lastIndexOf(0x89)] = 0x42; // what a module changed under the kernel would show (nothing writes it)
  t.is((await api.readFile("/app/assets/img/logo.png"))[0], 0x42);
});

test("/app is empty without a boot image (a linked app), and for an image without assets", async (t) => {
  const linked = startFiles({ platform: makeFake() });
  t.deepEqual(await linked.api.readdir("/app"), []);
  const codeOnly = writeAppImage(METADATA, [{ path: "/app/site.js", data: utf8("export default {};\n") }]);
  const bare = startFiles({ platform: makeFake({ bootImage: codeOnly }) });
  t.deepEqual(await bare.api.readdir("/app"), []);
});

test("an image that does not parse leaves /app empty instead of failing the boot; loadApp refuses it with the reason", async (t) => {
  for (const [what, bytes] of [["truncated", SITE.subarray(0, 40)], ["not an image", utf8("#!/bin/sh\n")]] as const) {
    const platform = makeFake({ bootImage: bytes, apps: { site: () => ({ default: {} }) } });
    const { api } = startFiles({ platform });
    t.deepEqual(await api.readdir("/app"), [], what);
    await t.throwsAsync(platform.loadApp("site"), { name: "AppImageError" }, what);
  }
});

test("the CRC is loadApp's check, not the mount's: a corrupt image's assets are mounted, and no app loads from it", async (t) => {
  const corrupt = SITE.slice();
  corrupt[corrupt.lastIndexOf(0x89)]! ^= 0x01; // a flipped bit in logo.png: the structure still parses
  const platform = makeFake({ bootImage: corrupt, apps: { site: () => ({ default: {} }) } });
  const { api } = startFiles({ platform });
  t.is((await api.readFile("/app/assets/img/logo.png"))[0], 0x88);
  await t.throwsAsync(platform.loadApp("site"), { name: "AppImageError", message: /the image is corrupt: its CRC-32 is/ });
});
