/**
 * The VFS's own rules (kernel-ts/fs/vfs.ts): descriptors and positions, EBADF and EMFILE,
 * mount boundaries (EXDEV, EBUSY), owner permission bits (EACCES), and errors carrying the
 * caller's path as given.
 */
import test from "ava";
import { FsError } from "../../../kernel-ts/fs/mod.ts";
import { makeTree, text, utf8 } from "./helpers.ts";

const flags = (read: boolean, write: boolean, extra: Partial<{ append: boolean; create: boolean; exclusive: boolean; truncate: boolean }> = {}) =>
  ({ read, write, append: false, create: false, exclusive: false, truncate: false, ...extra });

test("descriptors start at 3 and the lowest free one is reused", (t) => {
  const { vfs } = makeTree();
  const a = vfs.open("/dev/null", flags(true, false), 0);
  const b = vfs.open("/dev/null", flags(true, false), 0);
  t.deepEqual([a, b], [3, 4]);
  vfs.close(a);
  t.is(vfs.open("/dev/zero", flags(true, false), 0), 3);
  t.is(vfs.openFileCount, 2);
});

test("past the open-file limit, open fails with EMFILE and creates nothing", (t) => {
  const { vfs } = makeTree({ maxOpenFiles: 2 });
  vfs.open("/dev/null", flags(true, false), 0);
  vfs.open("/dev/null", flags(true, false), 0);
  t.throws(() => vfs.open("/tmp/new", flags(false, true, { create: true }), 0o644), { code: "EMFILE", message: "EMFILE: too many open files, open '/tmp/new'" });
  t.throws(() => vfs.stat("/tmp/new"), { code: "ENOENT" });
});

test("a closed or unknown descriptor is EBADF", (t) => {
  const { vfs } = makeTree();
  const fd = vfs.open("/dev/null", flags(true, true), 0);
  vfs.close(fd);
  t.throws(() => vfs.read(fd, new Uint8Array(1), null), { code: "EBADF", message: "EBADF: bad file descriptor, read" });
  t.throws(() => vfs.write(99, new Uint8Array(1), null), { code: "EBADF", message: "EBADF: bad file descriptor, write" });
  t.throws(() => vfs.close(fd), { code: "EBADF" });
  t.throws(() => vfs.fstat(fd), { code: "EBADF", message: "EBADF: bad file descriptor, fstat" });
});

test("reads and writes move the position only when given none; append writes at the end", (t) => {
  const { vfs } = makeTree();
  const fd = vfs.open("/tmp/f", flags(true, true, { create: true }), 0o644);
  vfs.write(fd, utf8("abcdef"), null);
  const two = new Uint8Array(2);
  t.is(vfs.read(fd, two, null), 0, "the position is at the end after the write");
  t.is(vfs.read(fd, two, 1), 2);
  t.is(text(two), "bc");
  vfs.write(fd, utf8("XY"), 0);
  t.is(vfs.read(fd, two, null), 0, "an explicit position leaves the handle's alone");
  vfs.close(fd);
  const appender = vfs.open("/tmp/f", flags(false, true, { append: true }), 0);
  vfs.write(appender, utf8("!"), 0);
  vfs.close(appender);
  const reader = vfs.open("/tmp/f", flags(true, false), 0);
  const all = new Uint8Array(16);
  t.is(text(all.subarray(0, vfs.read(reader, all, null))), "XYcdef!");
  vfs.close(reader);
});

test("rename does not cross mounts (EXDEV) and mount points do not move or go (EBUSY)", async (t) => {
  const { fs } = makeTree();
  await fs.writeFile("/tmp/a", "a");
  await t.throwsAsync(fs.rename("/tmp/a", "/app/a"), { code: "EXDEV", message: "EXDEV: cross-device link not permitted, rename '/tmp/a' -> '/app/a'" });
  await t.throwsAsync(fs.rename("/tmp/missing", "/dev/x"), { code: "EXDEV" });
  await t.throwsAsync(fs.rename("/tmp", "/tmp2"), { code: "EBUSY", message: "EBUSY: resource busy or locked, rename '/tmp' -> '/tmp2'" });
  await t.throwsAsync(fs.rename("/tmp/a", "/tmp"), { code: "EBUSY" });
  await t.throwsAsync(fs.unlink("/tmp"), { code: "EISDIR" });
  await t.throwsAsync(fs.rm("/tmp", { recursive: true }), { code: "EBUSY", message: "EBUSY: resource busy or locked, rmdir '/tmp'" });
  t.deepEqual(await fs.readdir("/tmp"), [], "rm -r emptied the mount before it failed, as on Linux");
});

test("owner permission bits are enforced (EACCES)", async (t) => {
  const { fs } = makeTree();
  await fs.writeFile("/tmp/ro", "r", { mode: 0o444 });
  await t.throwsAsync(fs.writeFile("/tmp/ro", "w"), { code: "EACCES", message: "EACCES: permission denied, open '/tmp/ro'" });
  t.is(await fs.readFile("/tmp/ro", "utf8"), "r");
  await fs.chmod("/tmp/ro", 0o200);
  await t.throwsAsync(fs.readFile("/tmp/ro"), { code: "EACCES" });
  await t.notThrowsAsync(fs.writeFile("/tmp/ro", "w"));
  await fs.mkdir("/tmp/locked", { mode: 0o555 });
  await fs.mkdir("/tmp/locked2");
  await fs.writeFile("/tmp/locked2/f", "");
  await fs.chmod("/tmp/locked2", 0o555);
  await t.throwsAsync(fs.writeFile("/tmp/locked/new", ""), { code: "EACCES" });
  await t.throwsAsync(fs.mkdir("/tmp/locked/sub"), { code: "EACCES", message: "EACCES: permission denied, mkdir '/tmp/locked/sub'" });
  await t.throwsAsync(fs.unlink("/tmp/locked2/f"), { code: "EACCES" });
  await t.throwsAsync(fs.rename("/tmp/locked2/f", "/tmp/f"), { code: "EACCES" });
  await t.throwsAsync(fs.mkdir("/tmp/locked"), { code: "EEXIST" }, "existence is answered first");
  await t.notThrowsAsync(fs.writeFile("/tmp/locked2/f", "x"), "writing an existing file needs only its own w");
  await fs.chmod("/tmp/locked2", 0o333);
  await t.throwsAsync(fs.readdir("/tmp/locked2"), { code: "EACCES", message: "EACCES: permission denied, scandir '/tmp/locked2'" });
  await t.throwsAsync(fs.access("/tmp/ro", fs.constants.R_OK), { code: "EACCES", message: "EACCES: permission denied, access '/tmp/ro'" });
  await t.notThrowsAsync(fs.access("/tmp/ro", fs.constants.W_OK));
  await t.throwsAsync(fs.access("/tmp/ro", fs.constants.X_OK), { code: "EACCES" });
  await t.notThrowsAsync(fs.access("/tmp/locked", fs.constants.R_OK | fs.constants.X_OK));
});

test("errors carry the path as the caller wrote it, and are FsErrors with errno", async (t) => {
  const { fs } = makeTree();
  const error = await t.throwsAsync(fs.readFile("tmp/../tmp/./missing"));
  t.true(error instanceof FsError);
  t.like(error, { name: "FsError", code: "ENOENT", errno: -2, syscall: "open", path: "tmp/../tmp/./missing" });
  t.is(error?.message, "ENOENT: no such file or directory, open 'tmp/../tmp/./missing'");
  t.false("dest" in error!, "no dest on a one-path call, as in Node");
  await fs.writeFile("tmp/relative", "from /");
  t.is(await fs.readFile("/tmp/relative", "utf8"), "from /");
});
