/**
 * devfs (kernel-ts/fs/devfs.ts): /dev/console writes reach the console and reads end at
 * once; /dev/null swallows; /dev/zero and /dev/urandom fill buffers (urandom from the
 * injected randomFill); the directory is fixed (EACCES) and devices do not truncate.
 */
import test from "ava";
import { makeTree } from "./helpers.ts";

test("/dev lists its four devices, character devices all", async (t) => {
  const { fs } = makeTree();
  t.deepEqual(await fs.readdir("/dev"), ["console", "null", "urandom", "zero"]);
  const entries = await fs.readdir("/dev", { withFileTypes: true });
  t.true(entries.every((entry) => entry.isCharacterDevice() && !entry.isFile()));
  const st = await fs.stat("/dev/null");
  t.true(st.isCharacterDevice());
  t.is(st.mode, 0o20666);
  t.is(st.size, 0);
  t.true((await fs.stat("/dev")).isDirectory());
});

test("/dev/console: writes go to the console, reads give end of file", async (t) => {
  const { fs, consoleText } = makeTree();
  await fs.writeFile("/dev/console", "one line\n");
  await fs.appendFile("/dev/console", "and another\n");
  const handle = await fs.open("/dev/console", "r+");
  await handle.write("through a handle\n");
  t.is((await handle.read(new Uint8Array(8), 0, 8, null)).bytesRead, 0);
  await handle.close();
  t.is(consoleText(), "one line\nand another\nthrough a handle\n");
  t.is((await fs.readFile("/dev/console")).length, 0);
});

test("/dev/null swallows writes and reads empty", async (t) => {
  const { fs } = makeTree();
  await fs.writeFile("/dev/null", "gone");
  t.is((await fs.readFile("/dev/null")).length, 0);
});

test("/dev/zero fills with zeros and /dev/urandom with randomFill's bytes", async (t) => {
  const { fs, randomCalls } = makeTree();
  const zero = await fs.open("/dev/zero");
  const buffer = new Uint8Array([9, 9, 9, 9]);
  t.is((await zero.read(buffer, 0, 4, null)).bytesRead, 4);
  t.deepEqual([...buffer], [0, 0, 0, 0]);
  await zero.close();
  const random = await fs.open("/dev/urandom");
  t.is((await random.read(buffer, 1, 3, null)).bytesRead, 3);
  t.deepEqual([...buffer], [0, 1, 8, 15], "the helper's randomFill writes i*7+1, into the buffer's range only");
  t.is(randomCalls(), 1);
  await random.close();
});

test("readFile of an endless device stops at the limit with FileTooLarge", async (t) => {
  const { fs } = makeTree();
  await t.throwsAsync(fs.readFile("/dev/zero"), { code: "ERR_FS_FILE_TOO_LARGE", instanceOf: RangeError });
});

test("the device directory is fixed, and devices do not truncate", async (t) => {
  const { fs } = makeTree();
  await t.throwsAsync(fs.writeFile("/dev/new", "x"), { code: "EACCES", message: "EACCES: permission denied, open '/dev/new'" });
  await t.throwsAsync(fs.mkdir("/dev/dir"), { code: "EACCES" });
  await t.throwsAsync(fs.unlink("/dev/null"), { code: "EACCES", message: "EACCES: permission denied, unlink '/dev/null'" });
  await t.throwsAsync(fs.rename("/dev/null", "/dev/void"), { code: "EACCES" });
  await t.throwsAsync(fs.rmdir("/dev"), { code: "EBUSY", message: "EBUSY: resource busy or locked, rmdir '/dev'" });
  await t.throwsAsync(fs.readFile("/dev/nothing"), { code: "ENOENT" });
  await t.throwsAsync(fs.readFile("/dev/null/x"), { code: "ENOTDIR" });
  await t.throwsAsync(fs.writeFile("/dev/null", "x", { flag: "wx" }), { code: "EEXIST" });
  const handle = await fs.open("/dev/null", "w");
  await t.throwsAsync(handle.truncate(0), { code: "EINVAL" });
  await handle.close();
});
