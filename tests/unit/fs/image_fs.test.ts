/**
 * The read-only image (kernel-ts/fs/image_fs.ts) behind /app: built from a plain map of
 * absolute paths to bytes plus directories; reads work, every change is EROFS after the
 * lookup; a malformed description is refused when the image is built.
 */
import test from "ava";
import { ImageFs } from "../../../kernel-ts/fs/mod.ts";
import { makeTree, utf8 } from "./helpers.ts";

const APP = new Map([
  ["/index.html", utf8("<h1>hi</h1>")],
  ["/img/logo.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47])],
  ["/data/deep/x.json", utf8("{}")],
]);

test("files read back and their directories exist", async (t) => {
  const { fs } = makeTree({ appFiles: APP, appDirectories: ["/empty"] });
  t.is(await fs.readFile("/app/index.html", "utf8"), "<h1>hi</h1>");
  t.deepEqual([...(await fs.readFile("/app/img/logo.png"))], [0x89, 0x50, 0x4e, 0x47]);
  t.deepEqual(await fs.readdir("/app"), ["data", "empty", "img", "index.html"]);
  t.deepEqual(await fs.readdir("/app", { recursive: true }), ["data", "empty", "img", "index.html", "data/deep", "img/logo.png", "data/deep/x.json"]);
  t.like(await fs.stat("/app/index.html"), { size: 11, mode: 0o100444, mtimeMs: 42 });
  t.like(await fs.stat("/app/img"), { mode: 0o40555 });
  const handle = await fs.open("/app/index.html");
  const { bytesRead } = await handle.read(new Uint8Array(4), 0, 4, 4);
  t.is(bytesRead, 4);
  await handle.close();
});

test("every change fails with EROFS, after the lookup", async (t) => {
  const { fs } = makeTree({ appFiles: APP });
  await t.throwsAsync(fs.writeFile("/app/index.html", "x"), { code: "EROFS", message: "EROFS: read-only file system, open '/app/index.html'" });
  await t.throwsAsync(fs.writeFile("/app/new", "x"), { code: "EROFS" });
  await t.throwsAsync(fs.appendFile("/app/index.html", "x"), { code: "EROFS" });
  await t.throwsAsync(fs.mkdir("/app/new"), { code: "EROFS", message: "EROFS: read-only file system, mkdir '/app/new'" });
  await t.throwsAsync(fs.mkdir("/app/img"), { code: "EEXIST" });
  await t.throwsAsync(fs.unlink("/app/index.html"), { code: "EROFS" });
  await t.throwsAsync(fs.rmdir("/app/img"), { code: "EROFS" });
  await t.throwsAsync(fs.rm("/app/img", { recursive: true }), { code: "EROFS", message: "EROFS: read-only file system, unlink '/app/img/logo.png'" });
  await t.throwsAsync(fs.rename("/app/index.html", "/app/moved.html"), { code: "EROFS" });
  await t.throwsAsync(fs.chmod("/app/index.html", 0o644), { code: "EROFS" });
  await t.throwsAsync(fs.access("/app/index.html", fs.constants.W_OK), { code: "EROFS" });
  await t.notThrowsAsync(fs.access("/app/index.html", fs.constants.R_OK));
  await t.throwsAsync(fs.unlink("/app/missing"), { code: "ENOENT" });
  await t.throwsAsync(fs.readFile("/app/index.html/x"), { code: "ENOTDIR" });
  await t.throwsAsync(fs.writeFile("/app/missing/x", "x"), { code: "ENOENT" });
  t.deepEqual(await fs.readdir("/app"), ["data", "img", "index.html"], "nothing changed");
});

test("the root can be an image holding only the mount points", async (t) => {
  const { fs } = makeTree();
  t.deepEqual(await fs.readdir("/"), ["app", "dev", "tmp"]);
  await t.throwsAsync(fs.mkdir("/etc"), { code: "EROFS" });
  await t.throwsAsync(fs.rmdir("/tmp"), { code: "EBUSY", message: "EBUSY: resource busy or locked, rmdir '/tmp'" });
  await t.throwsAsync(fs.rmdir("/"), { code: "EBUSY" });
  await t.throwsAsync(fs.mkdir("/"), { code: "EEXIST" });
});

test("a malformed description is refused at construction", (t) => {
  t.throws(() => new ImageFs(new Map([["relative.txt", new Uint8Array()]])), { instanceOf: RangeError, message: "Cannot build the image: 'relative.txt' is not an absolute, normalised path" });
  t.throws(() => new ImageFs(new Map([["/a/../b", new Uint8Array()]])), { instanceOf: RangeError });
  t.throws(() => new ImageFs(new Map([["/a/", new Uint8Array()]])), { instanceOf: RangeError });
  t.throws(() => new ImageFs(new Map([["/", new Uint8Array()]])), { instanceOf: RangeError });
  t.throws(() => new ImageFs(new Map([["/a", new Uint8Array()], ["/a/b", new Uint8Array()]])), {
    instanceOf: RangeError, message: "Cannot build the image: /a/b needs a directory where a file is",
  });
  t.throws(() => new ImageFs(new Map([["/a", new Uint8Array()]]), { directories: ["/a"] }), { message: "Cannot build the image: /a is both a file and a directory" });
  t.throws(() => new ImageFs(new Map([["/a", "text" as unknown as Uint8Array]])), { instanceOf: TypeError });
});
