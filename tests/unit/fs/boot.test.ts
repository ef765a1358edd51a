/**
 * startFiles (kernel-ts/fs/boot.ts) on the fake platform: the mounts, skiff:fs defined for
 * apps, /dev/console on the platform's console, /tmp's budget from the memory limit, and
 * /app from the image it is given.
 */
import test from "ava";
import { startFiles } from "../../../kernel-ts/fs/mod.ts";
import { makeFake } from "../helpers/fake.ts";
import { utf8 } from "./helpers.ts";

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

test("/app holds the image it is given, read-only", async (t) => {
  const { api } = startFiles({ platform: makeFake(), appImage: new Map([["/hello.txt", utf8("hi")]]) });
  t.is(await api.readFile("/app/hello.txt", "utf8"), "hi");
  await t.throwsAsync(api.writeFile("/app/hello.txt", "x"), { code: "EROFS" });
  const empty = startFiles({ platform: makeFake() });
  t.deepEqual(await empty.api.readdir("/app"), []);
});
