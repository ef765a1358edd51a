/**
 * ramfs (kernel-ts/fs/ramfs): the byte and node budgets (ENOSPC, nothing half-done), the
 * times and modes stat reports, truncate and holes, rename replacing, and files that stay
 * alive while open after unlink or rename — driven through the VFS and skiff:fs.
 */
import test from "ava";
import { makeTree, text, utf8 } from "./helpers.ts";

const WRITE = { read: false, write: true, append: false, create: true, exclusive: false, truncate: false };
const READ = { read: true, write: false, append: false, create: false, exclusive: false, truncate: false };

test("writes past the byte budget fail with ENOSPC and change nothing", async (t) => {
  const { fs, ramfs } = makeTree({ maxBytes: 100 });
  await fs.writeFile("/tmp/a", new Uint8Array(60));
  await t.throwsAsync(fs.appendFile("/tmp/a", new Uint8Array(41)), { code: "ENOSPC", message: "ENOSPC: no space left on device, write" });
  t.is((await fs.stat("/tmp/a")).size, 60, "no partial write");
  await fs.appendFile("/tmp/a", new Uint8Array(40));
  t.is(ramfs.budget.bytesUsed, 100);
  await t.throwsAsync(fs.writeFile("/tmp/b", "x"), { code: "ENOSPC" });
  t.is((await fs.stat("/tmp/b")).size, 0, "the file was made, its byte was not");
  await t.throwsAsync(fs.truncate("/tmp/a", 101), { code: "ENOSPC", message: "ENOSPC: no space left on device, ftruncate" });
  await fs.truncate("/tmp/a", 10);
  t.is(ramfs.budget.bytesUsed, 10, "truncate gives bytes back");
  await fs.unlink("/tmp/a");
  t.is(ramfs.budget.bytesUsed, 0, "unlink gives bytes back");
});

test("a write far past the end fails with ENOSPC rather than allocating", async (t) => {
  const { fs } = makeTree({ maxBytes: 1 << 20 });
  const handle = await fs.open("/tmp/sparse", "w");
  await t.throwsAsync(handle.write(new Uint8Array(1), 0, 1, 2 ** 40), { code: "ENOSPC" });
  await handle.close();
});

test("the node budget bounds files and directories (ENOSPC)", async (t) => {
  const { fs } = makeTree({ maxNodes: 3 });
  await fs.mkdir("/tmp/a");
  await fs.writeFile("/tmp/b", "");
  await t.throwsAsync(fs.mkdir("/tmp/c"), { code: "ENOSPC", message: "ENOSPC: no space left on device, mkdir '/tmp/c'" });
  await t.throwsAsync(fs.writeFile("/tmp/c", ""), { code: "ENOSPC" });
  await fs.rmdir("/tmp/a");
  await t.notThrowsAsync(fs.mkdir("/tmp/c"));
});

test("stat reports size, mode and the times of the injected clock", async (t) => {
  const { fs, clock } = makeTree();
  clock.nowMs = 1000;
  await fs.writeFile("/tmp/f", "abc");
  let st = await fs.stat("/tmp/f");
  t.like(st, { size: 3, mode: 0o100644, nlink: 1, mtimeMs: 1000, ctimeMs: 1000, birthtimeMs: 1000, uid: 0, blocks: 1 });
  t.is(st.mtime.getTime(), 1000);
  t.true(st.isFile());
  t.false(st.isDirectory());
  clock.nowMs = 2000;
  await fs.appendFile("/tmp/f", "d");
  st = await fs.stat("/tmp/f");
  t.like(st, { size: 4, mtimeMs: 2000, ctimeMs: 2000, birthtimeMs: 1000 });
  clock.nowMs = 3000;
  await fs.chmod("/tmp/f", 0o600);
  st = await fs.stat("/tmp/f");
  t.like(st, { mode: 0o100600, mtimeMs: 2000, ctimeMs: 3000 });
  clock.nowMs = 4000;
  await fs.readFile("/tmp/f");
  t.is((await fs.stat("/tmp/f")).atimeMs, 4000);
  const dir = await fs.stat("/tmp");
  t.like(dir, { mode: 0o041777, mtimeMs: 1000, nlink: 2 });
  await fs.mkdir("/tmp/sub");
  t.is((await fs.stat("/tmp")).nlink, 3, "2 + one subdirectory");
  t.is((await fs.stat("/tmp")).mtimeMs, 4000, "a new entry changes the directory");
});

test("truncate and writes past the end fill with zeros, also after a shrink", async (t) => {
  const { fs } = makeTree();
  await fs.writeFile("/tmp/f", "abcdef");
  await fs.truncate("/tmp/f", 2);
  await fs.truncate("/tmp/f", 4);
  t.deepEqual([...(await fs.readFile("/tmp/f"))], [97, 98, 0, 0]);
  const handle = await fs.open("/tmp/f", "r+");
  await handle.write(utf8("z"), 0, 1, 8);
  await handle.close();
  t.deepEqual([...(await fs.readFile("/tmp/f"))], [97, 98, 0, 0, 0, 0, 0, 0, 122]);
});

test("a file stays readable and writable while open after unlink; its bytes go at close", async (t) => {
  const { vfs, ramfs } = makeTree({ maxBytes: 100 });
  const fd = vfs.open("/tmp/f", WRITE, 0o644);
  vfs.write(fd, utf8("kept"), null);
  vfs.unlink("/tmp/f");
  t.throws(() => vfs.stat("/tmp/f"), { code: "ENOENT" });
  t.is(vfs.write(fd, utf8("!"), null), 1);
  t.is(vfs.fstat(fd).size, 5);
  t.is(vfs.fstat(fd).nlink, 0);
  t.is(ramfs.budget.bytesUsed, 5, "still held");
  vfs.close(fd);
  t.is(ramfs.budget.bytesUsed, 0, "released at the last close");
  t.is(ramfs.budget.nodesUsed, 1, "only the root is left");
});

test("a handle follows its file through rename, and a replaced file lives on while open", async (t) => {
  const { vfs, fs, ramfs } = makeTree();
  await fs.writeFile("/tmp/old", "old");
  await fs.writeFile("/tmp/new", "new");
  const reader = vfs.open("/tmp/old", READ, 0);
  const replacedReader = vfs.open("/tmp/new", READ, 0);
  await fs.rename("/tmp/old", "/tmp/new");
  const into = new Uint8Array(3);
  vfs.read(reader, into, 0);
  t.is(text(into), "old");
  vfs.read(replacedReader, into, 0);
  t.is(text(into), "new", "the replaced file is unlinked but still open");
  t.is(ramfs.budget.bytesUsed, 6);
  vfs.close(replacedReader);
  t.is(ramfs.budget.bytesUsed, 3);
  vfs.close(reader);
  t.deepEqual(await fs.readdir("/tmp"), ["new"]);
});

test("rename keeps budgets straight when a directory replaces an empty one", async (t) => {
  const { fs, ramfs } = makeTree();
  await fs.mkdir("/tmp/a");
  await fs.writeFile("/tmp/a/f", "1");
  await fs.mkdir("/tmp/empty");
  t.is(ramfs.budget.nodesUsed, 4);
  await fs.rename("/tmp/a", "/tmp/empty");
  t.is(ramfs.budget.nodesUsed, 3);
  t.deepEqual(await fs.readdir("/tmp", { recursive: true }), ["empty", "empty/f"]);
});
