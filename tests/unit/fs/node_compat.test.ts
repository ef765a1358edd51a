/**
 * skiff:fs against Node's own fs/promises: the same sequence of calls on a real temp
 * directory D (Node) and on a ramfs mounted at the very same path D (ours), so the paths
 * in messages match byte for byte. Every step must end the same way: the same value, or
 * an error with the same code, errno, syscall, path, dest and message.
 *
 * Not compared: timestamps, inode and device numbers, and permission errors (the tests may
 * run as root, whom Linux never refuses).
 */
import test from "ava";
import * as nodeFs from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FsPromises } from "../../../kernel-ts/fs/mod.ts";
import { makeTree, outcome } from "./helpers.ts";

type Step = readonly [label: string, run: (fs: FsPromises, d: string) => Promise<unknown>];

const sorted = <T>(values: T[]): T[] => [...values].sort();
const statShape = async (fs: FsPromises, path: string) => {
  const st = await fs.stat(path);
  return { file: st.isFile(), directory: st.isDirectory(), size: st.isFile() ? st.size : "dir", mode: st.mode.toString(8), nlink: st.nlink };
};

/** Runs `steps` on both and compares each outcome. */
function compare(title: string, steps: readonly Step[]): void {
  test(`${title}: the same outcomes as Node's fs/promises`, async (t) => {
    process.umask(0o022); // skiff:fs applies a umask of 022
    const d = await nodeFs.mkdtemp(join(tmpdir(), "skiff-fs-"));
    t.teardown(() => nodeFs.rm(d, { recursive: true, force: true }));
    const ours = makeTree({ ramfsAt: d }).fs;
    const node = nodeFs as unknown as FsPromises;
    for (const [label, run] of steps) {
      const expected = await outcome(() => run(node, d));
      const actual = await outcome(() => run(ours, d));
      if ("code" in expected && expected.errno === undefined && "errno" in actual) {
        (actual as { errno: unknown }).errno = undefined; // Node gives no errno for "file closed"
      }
      t.deepEqual(actual, expected, label);
    }
  });
}

compare("directories", [
  ["mkdir a directory", (fs, d) => fs.mkdir(`${d}/dir`)],
  ["mkdir it again: EEXIST", (fs, d) => fs.mkdir(`${d}/dir`)],
  ["mkdir -p an existing directory", (fs, d) => fs.mkdir(`${d}/dir`, { recursive: true })],
  ["mkdir -p returns the first directory made", (fs, d) => fs.mkdir(`${d}/a/b/c`, { recursive: true })],
  ["mkdir under a missing parent: ENOENT", (fs, d) => fs.mkdir(`${d}/nope/x`)],
  ["writeFile a file", (fs, d) => fs.writeFile(`${d}/file`, "hello")],
  ["mkdir -p through a file: ENOTDIR", (fs, d) => fs.mkdir(`${d}/file/x`, { recursive: true })],
  ["mkdir -p on a file: EEXIST", (fs, d) => fs.mkdir(`${d}/file`, { recursive: true })],
  ["mkdir on the mount point itself: EEXIST", (fs, d) => fs.mkdir(d)],
  ["mkdir with mode 0o700", async (fs, d) => { await fs.mkdir(`${d}/private`, { mode: 0o700 }); return statShape(fs, `${d}/private`); }],
  ["readdir", async (fs, d) => sorted(await fs.readdir(d))],
  ["readdir withFileTypes", async (fs, d) => (await fs.readdir(d, { withFileTypes: true }))
    .map((entry) => [entry.name, entry.isFile(), entry.isDirectory(), entry.isCharacterDevice(), entry.parentPath]).sort()],
  ["readdir recursive", async (fs, d) => sorted(await fs.readdir(d, { recursive: true }))],
  ["readdir of a file: ENOTDIR", (fs, d) => fs.readdir(`${d}/file`)],
  ["readdir of nothing: ENOENT", (fs, d) => fs.readdir(`${d}/missing`)],
  ["readdir with a trailing slash", async (fs, d) => sorted(await fs.readdir(`${d}/a/`))],
  ["stat a directory", (fs, d) => statShape(fs, `${d}/a`)],
  ["stat through ..", (fs, d) => statShape(fs, `${d}/a/b/../b/./c`)],
  ["stat of nothing: ENOENT", (fs, d) => fs.stat(`${d}/missing`)],
  ["lstat of nothing: ENOENT", (fs, d) => fs.lstat(`${d}/missing`)],
  ["rmdir a non-empty directory: ENOTEMPTY", (fs, d) => fs.rmdir(`${d}/a`)],
  ["rmdir a file: ENOTDIR", (fs, d) => fs.rmdir(`${d}/file`)],
  ["rmdir nothing: ENOENT", (fs, d) => fs.rmdir(`${d}/missing`)],
  ["rmdir an empty directory", (fs, d) => fs.rmdir(`${d}/a/b/c`)],
  ["readdir after rmdir", async (fs, d) => sorted(await fs.readdir(`${d}/a/b`))],
  ["a 256-byte name: ENAMETOOLONG", (fs, d) => fs.mkdir(`${d}/${"x".repeat(256)}`)],
  ["a 255-byte name is fine", (fs, d) => fs.mkdir(`${d}/${"y".repeat(255)}`)],
]);

compare("files", [
  ["mkdir", (fs, d) => fs.mkdir(`${d}/dir`)],
  ["writeFile a string", (fs, d) => fs.writeFile(`${d}/file`, "hello")],
  ["readFile as bytes", (fs, d) => fs.readFile(`${d}/file`)],
  ["readFile as utf8", (fs, d) => fs.readFile(`${d}/file`, "utf8")],
  ["readFile with { encoding }", (fs, d) => fs.readFile(`${d}/file`, { encoding: "utf8" })],
  ["stat a file", (fs, d) => statShape(fs, `${d}/file`)],
  ["appendFile", (fs, d) => fs.appendFile(`${d}/file`, ", world")],
  ["writeFile with flag a", (fs, d) => fs.writeFile(`${d}/file`, "!", { flag: "a" })],
  ["the appends", (fs, d) => fs.readFile(`${d}/file`, "utf8")],
  ["writeFile wx on an existing file: EEXIST", (fs, d) => fs.writeFile(`${d}/file`, "x", { flag: "wx" })],
  ["writeFile wx on a new file", (fs, d) => fs.writeFile(`${d}/new`, "fresh", { flag: "wx" })],
  ["writeFile w truncates", async (fs, d) => { await fs.writeFile(`${d}/file`, "hi"); return fs.readFile(`${d}/file`, "utf8"); }],
  ["writeFile bytes, multi-byte text", async (fs, d) => { await fs.writeFile(`${d}/bytes`, new Uint8Array([0xe2, 0x82, 0xac, 0x21])); return fs.readFile(`${d}/bytes`, "utf8"); }],
  ["writeFile with mode 0o600", async (fs, d) => { await fs.writeFile(`${d}/secret`, "s", { mode: 0o600 }); return statShape(fs, `${d}/secret`); }],
  ["readFile of a directory: EISDIR (no path)", (fs, d) => fs.readFile(`${d}/dir`)],
  ["readFile of nothing: ENOENT", (fs, d) => fs.readFile(`${d}/missing`)],
  ["readFile of file/: ENOTDIR", (fs, d) => fs.readFile(`${d}/file/`)],
  ["writeFile onto a directory: EISDIR", (fs, d) => fs.writeFile(`${d}/dir`, "x")],
  ["writeFile under a file: ENOTDIR", (fs, d) => fs.writeFile(`${d}/file/x`, "x")],
  ["writeFile into a missing directory: ENOENT", (fs, d) => fs.writeFile(`${d}/missing/x`, "x")],
  ["truncate extends with zeros", async (fs, d) => { await fs.truncate(`${d}/file`, 4); return fs.readFile(`${d}/file`); }],
  ["truncate cuts", async (fs, d) => { await fs.truncate(`${d}/file`, 1); return fs.readFile(`${d}/file`, "utf8"); }],
  ["access an existing file", (fs, d) => fs.access(`${d}/file`)],
  ["access nothing: ENOENT", (fs, d) => fs.access(`${d}/missing`)],
  ["unlink a directory: EISDIR", (fs, d) => fs.unlink(`${d}/dir`)],
  ["unlink nothing: ENOENT", (fs, d) => fs.unlink(`${d}/missing`)],
  ["unlink file/: ENOTDIR", (fs, d) => fs.unlink(`${d}/file/`)],
  ["unlink a file", (fs, d) => fs.unlink(`${d}/file`)],
  ["stat it: ENOENT", (fs, d) => fs.stat(`${d}/file`)],
  ["chmod", async (fs, d) => { await fs.chmod(`${d}/new`, 0o640); return statShape(fs, `${d}/new`); }],
  ["chmod nothing: ENOENT", (fs, d) => fs.chmod(`${d}/missing`, 0o600)],
]);

compare("rename", [
  ["mkdir dir", (fs, d) => fs.mkdir(`${d}/dir`)],
  ["mkdir a/b", (fs, d) => fs.mkdir(`${d}/a/b`, { recursive: true })],
  ["mkdir empty", (fs, d) => fs.mkdir(`${d}/empty`)],
  ["writeFile dir/f", (fs, d) => fs.writeFile(`${d}/dir/f`, "f")],
  ["writeFile file", (fs, d) => fs.writeFile(`${d}/file`, "file")],
  ["writeFile other", (fs, d) => fs.writeFile(`${d}/other`, "other")],
  ["rename nothing: ENOENT with dest", (fs, d) => fs.rename(`${d}/missing`, `${d}/x`)],
  ["rename a directory onto a file: ENOTDIR", (fs, d) => fs.rename(`${d}/dir`, `${d}/file`)],
  ["rename a file onto a directory: EISDIR", (fs, d) => fs.rename(`${d}/file`, `${d}/dir`)],
  ["rename a directory into itself: EINVAL", (fs, d) => fs.rename(`${d}/dir`, `${d}/dir/sub`)],
  ["rename onto a non-empty directory: ENOTEMPTY", (fs, d) => fs.rename(`${d}/a`, `${d}/dir`)],
  ["rename into a missing directory: ENOENT", (fs, d) => fs.rename(`${d}/file`, `${d}/missing/file`)],
  ["rename a file onto itself", (fs, d) => fs.rename(`${d}/file`, `${d}/file`)],
  ["rename a file over a file", async (fs, d) => { await fs.rename(`${d}/other`, `${d}/file`); return fs.readFile(`${d}/file`, "utf8"); }],
  ["rename a directory over an empty one", async (fs, d) => { await fs.rename(`${d}/a`, `${d}/empty`); return sorted(await fs.readdir(d, { recursive: true })); }],
  ["rename a file into a directory", async (fs, d) => { await fs.rename(`${d}/file`, `${d}/dir/moved`); return sorted(await fs.readdir(`${d}/dir`)); }],
  ["rename file/ with a trailing slash: ENOTDIR", (fs, d) => fs.rename(`${d}/dir/moved/`, `${d}/x`)],
]);

compare("rm", [
  ["mkdir -p tree", (fs, d) => fs.mkdir(`${d}/tree/x/y`, { recursive: true })],
  ["writeFile leaves", async (fs, d) => { await fs.writeFile(`${d}/tree/x/y/leaf`, "1"); await fs.writeFile(`${d}/tree/top`, "2"); }],
  ["rm a directory without recursive", (fs, d) => fs.rm(`${d}/tree`)],
  ["rm nothing: ENOENT from lstat", (fs, d) => fs.rm(`${d}/missing`)],
  ["rm nothing with force", (fs, d) => fs.rm(`${d}/missing`, { force: true })],
  ["rm a file", async (fs, d) => { await fs.rm(`${d}/tree/top`); return sorted(await fs.readdir(`${d}/tree`)); }],
  ["rm -r", async (fs, d) => { await fs.rm(`${d}/tree`, { recursive: true }); return fs.readdir(d); }],
  ["rm -rf nothing", (fs, d) => fs.rm(`${d}/tree`, { recursive: true, force: true })],
]);

compare("file handles", [
  ["writeFile", (fs, d) => fs.writeFile(`${d}/file`, "0123456789")],
  ["mkdir", (fs, d) => fs.mkdir(`${d}/dir`)],
  ["positions", async (fs, d) => {
    const handle = await fs.open(`${d}/file`, "r+");
    const seen: unknown[] = [];
    const buffer = new Uint8Array(4);
    seen.push((await handle.read(buffer, 0, 4, null)).bytesRead, [...buffer]);      // 0123, position 4
    seen.push((await handle.read(buffer, 0, 2, 8)).bytesRead, [...buffer]);         // 89 at 8, position stays
    seen.push((await handle.read(buffer, 0, 4, null)).bytesRead, [...buffer]);      // 4567, position 8
    seen.push((await handle.write("AB")).bytesWritten);                           // at 8
    seen.push((await handle.write(new Uint8Array([0x7a]), 0, 1, 0)).bytesWritten); // z at 0, position stays 10
    seen.push((await handle.read(buffer, 0, 4, null)).bytesRead);                   // end of file
    seen.push((await handle.stat()).size);
    await handle.truncate(5);
    seen.push((await handle.stat()).size);
    await handle.close();
    seen.push(await fs.readFile(`${d}/file`, "utf8"));
    return seen;
  }],
  ["readFile from the handle's position", async (fs, d) => {
    const handle = await fs.open(`${d}/file`);
    await handle.read(new Uint8Array(2), 0, 2, null);
    const rest = await handle.readFile("utf8");
    await handle.close();
    return rest;
  }],
  ["append mode writes at the end whatever the position", async (fs, d) => {
    const handle = await fs.open(`${d}/file`, "a+");
    await handle.write("X", 0);
    await handle.close();
    return fs.readFile(`${d}/file`, "utf8");
  }],
  ["read after close: EBADF, file closed", async (fs, d) => {
    const handle = await fs.open(`${d}/file`);
    await handle.close();
    await handle.close(); // a second close does nothing
    return handle.read(new Uint8Array(1), 0, 1, 0);
  }],
  ["stat after close: EBADF", async (fs, d) => {
    const handle = await fs.open(`${d}/file`);
    await handle.close();
    return handle.stat();
  }],
  ["write on a read-only handle: EBADF", async (fs, d) => {
    const handle = await fs.open(`${d}/file`, "r");
    try { return await handle.write("x"); } finally { await handle.close(); }
  }],
  ["truncate on a read-only handle: EINVAL", async (fs, d) => {
    const handle = await fs.open(`${d}/file`, "r");
    try { return await handle.truncate(1); } finally { await handle.close(); }
  }],
  ["read on a directory handle: EISDIR", async (fs, d) => {
    const handle = await fs.open(`${d}/dir`, "r");
    try { return await handle.read(new Uint8Array(1), 0, 1, 0); } finally { await handle.close(); }
  }],
  ["open nothing: ENOENT", (fs, d) => fs.open(`${d}/missing`)],
  ["open a directory for writing: EISDIR", (fs, d) => fs.open(`${d}/dir`, "w")],
  ["open wx on an existing file: EEXIST", (fs, d) => fs.open(`${d}/file`, "wx")],
  ["open under a file: ENOTDIR", (fs, d) => fs.open(`${d}/file/x`, "w")],
  ["open new/ for writing: EISDIR", (fs, d) => fs.open(`${d}/new/`, "w")],
  ["writeFile through a handle", async (fs, d) => {
    const handle = await fs.open(`${d}/other`, "w+");
    await handle.writeFile("via handle");
    await handle.close();
    return fs.readFile(`${d}/other`, "utf8");
  }],
]);

test("constants have Node's values", (t) => {
  const ours = makeTree().fs.constants;
  const theirs: Record<string, number | undefined> = nodeFs.constants;
  for (const [name, value] of Object.entries(ours)) t.is(theirs[name], value, name);
});
