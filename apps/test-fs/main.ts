/**
 * test-fs: the file API end to end in the guest — skiff:fs and node:fs/promises (the same
 * module, through the bundler's mapping). It writes, reads, appends, lists, renames and
 * removes files under /tmp, uses a FileHandle with and without positions, writes a line
 * through /dev/console, reads /dev/urandom, and reads the codes of failures it provokes.
 * Each step prints one line; a step whose result is not the expected one prints
 * "fs: FAILED …" and main returns 1. Expected lines, in order (tests/vm/fs.test.ts):
 *   fs: node:fs/promises is skiff:fs
 *   fs: wrote /tmp/notes/a.txt (12 bytes)
 *   fs: read 'hello, skiff'
 *   fs: appended 'hello, skiff!'
 *   fs: handle read 'skiff' at 7, wrote at 0: 'HELLO, skiff!'
 *   fs: listed /tmp/notes: a.txt b.txt sub/
 *   fs: renamed a.txt to c.txt: a.txt ENOENT, c.txt 13 bytes
 *   fs: hello through /dev/console
 *   fs: 16 bytes from /dev/urandom
 *   fs: mkdir /tmp/notes: EEXIST: file already exists, mkdir '/tmp/notes'
 *   fs: readFile /tmp/notes: EISDIR
 *   fs: writeFile /app/x: EROFS
 *   fs: rm /tmp/notes without recursive: ERR_FS_EISDIR
 *   fs: removed /tmp/notes; /tmp holds nothing
 *   fs: done
 */
import * as nodeFs from "node:fs/promises";
import { appendFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "skiff:fs";

let failures = 0;

function check(ok: boolean, line: string, why: string): void {
  if (ok) console.log(`fs: ${line}`);
  else {
    failures += 1;
    console.log(`fs: FAILED ${line}: ${why}`);
  }
}

/** The error `action` rejects with, or undefined when it resolves. */
async function failure(action: () => Promise<unknown>): Promise<{ code?: string; message?: string } | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    return error as { code?: string; message?: string };
  }
}

export default {
  async main(): Promise<number> {
    check(nodeFs.readFile === readFile && nodeFs.rename === rename, "node:fs/promises is skiff:fs", "the two modules differ");

    await mkdir("/tmp/notes/sub", { recursive: true });
    await writeFile("/tmp/notes/a.txt", "hello, skiff");
    await writeFile("/tmp/notes/b.txt", new Uint8Array([98, 10]));
    check((await stat("/tmp/notes/a.txt")).size === 12, "wrote /tmp/notes/a.txt (12 bytes)", "a.txt does not hold 12 bytes");
    const text = await readFile("/tmp/notes/a.txt", "utf8");
    check(text === "hello, skiff", `read '${text}'`, "not what was written");
    await appendFile("/tmp/notes/a.txt", "!");
    const appended = await nodeFs.readFile("/tmp/notes/a.txt", { encoding: "utf8" });
    check(appended === "hello, skiff!", `appended '${appended}'`, "the append is missing");

    const handle = await open("/tmp/notes/a.txt", "r+");
    const { bytesRead, buffer } = await handle.read(new Uint8Array(5), 0, 5, 7);
    await handle.write("HELLO");
    await handle.close();
    const word = String.fromCharCode(...buffer.subarray(0, bytesRead));
    const after = await readFile("/tmp/notes/a.txt", "utf8");
    check(word === "skiff" && after === "HELLO, skiff!", `handle read '${word}' at 7, wrote at 0: '${after}'`, "positions were not honoured");

    const entries = await readdir("/tmp/notes", { withFileTypes: true });
    const listing = entries.map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name)).join(" ");
    check(listing === "a.txt b.txt sub/", `listed /tmp/notes: ${listing}`, "unexpected entries");

    await rename("/tmp/notes/a.txt", "/tmp/notes/c.txt");
    const gone = await failure(() => stat("/tmp/notes/a.txt"));
    const moved = await stat("/tmp/notes/c.txt");
    check(gone?.code === "ENOENT" && moved.isFile() && moved.size === 13, `renamed a.txt to c.txt: a.txt ${gone?.code}, c.txt ${moved.size} bytes`, "rename did not move it");

    await writeFile("/dev/console", "fs: hello through /dev/console\n");
    const random = await readFile("/dev/urandom").catch(() => undefined);
    const urandom = await open("/dev/urandom");
    const sample = await urandom.read(new Uint8Array(16), 0, 16, null);
    await urandom.close();
    check(random === undefined && sample.bytesRead === 16, `${sample.bytesRead} bytes from /dev/urandom`, "urandom did not fill the buffer or readFile did not stop");

    const exists = await failure(() => mkdir("/tmp/notes"));
    check(exists?.code === "EEXIST", `mkdir /tmp/notes: ${exists?.message}`, "no EEXIST");
    const directory = await failure(() => readFile("/tmp/notes"));
    check(directory?.code === "EISDIR", `readFile /tmp/notes: ${directory?.code}`, "no EISDIR");
    const readOnly = await failure(() => writeFile("/app/x", "x"));
    check(readOnly?.code === "EROFS", `writeFile /app/x: ${readOnly?.code}`, "no EROFS");
    const notRecursive = await failure(() => rm("/tmp/notes"));
    check(notRecursive?.code === "ERR_FS_EISDIR", `rm /tmp/notes without recursive: ${notRecursive?.code}`, "rm removed a directory");

    await rm("/tmp/notes", { recursive: true });
    const left = await readdir("/tmp");
    check(left.length === 0, "removed /tmp/notes; /tmp holds nothing", `/tmp still holds ${left.join(" ")}`);

    console.log(failures === 0 ? "fs: done" : `fs: ${failures} failed`);
    return failures === 0 ? 0 : 1;
  },
};
