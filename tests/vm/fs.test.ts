/**
 * The file API in the guest: apps/test-fs boots under qemu TCG (q35 and microvm), uses
 * skiff:fs and node:fs/promises on /tmp, /dev and /app, prints one line per step, and
 * exits with status 0. The VM is killed when the test ends (tests/helpers/vm.ts).
 */
import test from "ava";
import { bootSkiff, machines } from "../helpers/vm.ts";

const EXPECTED = [
  "fs: node:fs/promises is skiff:fs",
  "fs: wrote /tmp/notes/a.txt (12 bytes)",
  "fs: read 'hello, skiff'",
  "fs: appended 'hello, skiff!'",
  "fs: handle read 'skiff' at 7, wrote at 0: 'HELLO, skiff!'",
  "fs: listed /tmp/notes: a.txt b.txt sub/",
  "fs: renamed a.txt to c.txt: a.txt ENOENT, c.txt 13 bytes",
  "fs: hello through /dev/console",
  "fs: 16 bytes from /dev/urandom",
  "fs: mkdir /tmp/notes: EEXIST: file already exists, mkdir '/tmp/notes'",
  "fs: readFile /tmp/notes: EISDIR",
  "fs: writeFile /app/x: EROFS",
  "fs: rm /tmp/notes without recursive: ERR_FS_EISDIR",
  "fs: removed /tmp/notes; /tmp holds nothing",
  "fs: done",
];

for (const machine of machines) {
  test(`${machine}: test-fs writes, reads, lists, renames and removes files, status 0`, async (t) => {
    const vm = await bootSkiff(t, { machine, app: "test-fs" });
    const lines = vm.text.filter((line) => line.startsWith("fs: "));
    t.deepEqual(lines, EXPECTED, vm.output);
    t.true(vm.text.includes("skiff: app test-fs exited with status 0"), vm.output);
    t.is(vm.code, 0, vm.output);
  });
}
