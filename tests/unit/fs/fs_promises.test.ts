/**
 * The node:fs/promises subset (kernel-ts/fs/api) beyond what node_compat compares: the
 * argument forms Node accepts (Uint8Array and file: URL paths, numeric flags, octal mode
 * strings, every ArrayBufferView, FileHandle overloads), and the named errors for the
 * arguments it does not (InvalidArgument, ArgumentOutOfRange) — as rejections, never
 * synchronous throws.
 */
import test from "ava";
import { ArgumentOutOfRange, InvalidArgument } from "../../../kernel-ts/fs/mod.ts";
import { makeTree, text, utf8 } from "./helpers.ts";

test("paths may be strings, UTF-8 bytes or file: URLs", async (t) => {
  const { fs } = makeTree();
  await fs.writeFile(utf8("/tmp/bytes"), "b");
  await fs.writeFile(new URL("file:///tmp/with%20space"), "u");
  t.deepEqual(await fs.readdir("/tmp"), ["bytes", "with space"]);
  await t.throwsAsync(fs.readFile(new URL("https://example.com/x")), { instanceOf: InvalidArgument, code: "ERR_INVALID_ARG_VALUE" });
});

test("bad arguments reject with named errors and Node's codes", async (t) => {
  const { fs } = makeTree();
  const call = (action: () => Promise<unknown>) => {
    let promise: Promise<unknown> | undefined;
    t.notThrows(() => { promise = action(); }, "rejects, does not throw");
    return promise!;
  };
  await t.throwsAsync(call(() => fs.readFile(42 as unknown as string)), {
    instanceOf: InvalidArgument, code: "ERR_INVALID_ARG_TYPE", message: 'The "path" argument must be a string, a Uint8Array or a file: URL; got number 42',
  });
  await t.throwsAsync(call(() => fs.stat("/tmp/a\u0000b")), { instanceOf: TypeError, code: "ERR_INVALID_ARG_VALUE", message: "The \"path\" argument must not contain null bytes; got '/tmp/a\\x00b'" });
  await t.throwsAsync(call(() => fs.open("/tmp/x", "q")), { code: "ERR_INVALID_ARG_VALUE" });
  await t.throwsAsync(call(() => fs.mkdir("/tmp/x", { mode: "9" })), { code: "ERR_INVALID_ARG_VALUE" });
  await t.throwsAsync(call(() => fs.readFile("/tmp/x", "latin1" as "utf8")), {
    code: "ERR_INVALID_ARG_VALUE", message: "The encoding string 'latin1' is not supported: skiff:fs reads and writes utf8 text or bytes",
  });
  await t.throwsAsync(call(() => fs.writeFile("/tmp/x", 7 as unknown as string)), { code: "ERR_INVALID_ARG_TYPE" });
  await t.throwsAsync(call(() => fs.rmdir("/tmp", { recursive: true })), { instanceOf: InvalidArgument, message: "rmdir's recursive option is not supported: use rm(path, { recursive: true })" });
  const handle = await fs.open("/dev/zero");
  await t.throwsAsync(call(() => handle.read(new Uint8Array(4), 2, 3, null)), {
    instanceOf: ArgumentOutOfRange, code: "ERR_OUT_OF_RANGE", message: 'The "length" argument must be in 0–2; got 3',
  });
  await handle.close();
});

test("numeric flags and octal mode strings", async (t) => {
  const { fs } = makeTree();
  const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
  const handle = await fs.open("/tmp/n", O_WRONLY | O_CREAT | O_EXCL, "600");
  await handle.write("n");
  await handle.close();
  t.like(await fs.stat("/tmp/n"), { size: 1, mode: 0o100600 });
  await t.throwsAsync(fs.open("/tmp/n", O_WRONLY | O_CREAT | O_EXCL), { code: "EEXIST" });
  await fs.mkdir("/tmp/d", 0o700);
  t.is((await fs.stat("/tmp/d")).mode, 0o40700);
  await fs.chmod("/tmp/d", "750");
  t.is((await fs.stat("/tmp/d")).mode, 0o40750, "chmod takes the mode as is, no umask");
});

test("any ArrayBufferView is written as its bytes", async (t) => {
  const { fs } = makeTree();
  await fs.writeFile("/tmp/u16", new Uint16Array([0x0201, 0x0403]));
  t.deepEqual([...(await fs.readFile("/tmp/u16"))], [1, 2, 3, 4]);
  const backing = new Uint8Array([9, 8, 7, 6, 5]);
  await fs.writeFile("/tmp/view", new DataView(backing.buffer, 1, 3));
  t.deepEqual([...(await fs.readFile("/tmp/view"))], [8, 7, 6]);
});

test("FileHandle.read's forms: no arguments, an options object, a buffer with options", async (t) => {
  const { fs } = makeTree();
  await fs.writeFile("/tmp/f", "0123456789");
  const handle = await fs.open("/tmp/f");
  const first = await handle.read();
  t.is(first.buffer.length, 16384, "Node's default buffer size");
  t.is(text(first.buffer.subarray(0, first.bytesRead)), "0123456789");
  const into = new Uint8Array(4);
  const second = await handle.read({ buffer: into, position: 6 });
  t.is(second.buffer, into);
  t.is(text(into.subarray(0, second.bytesRead)), "6789");
  const third = await handle.read(into, { offset: 1, length: 2, position: 0 });
  t.is(third.bytesRead, 2);
  t.is(text(into), "6019");
  const view = await handle.read(new DataView(new ArrayBuffer(3)), 0, 3, 2n);
  t.is(new TextDecoder().decode(view.buffer), "234", "a bigint position and a DataView buffer");
  await handle.close();
  t.is(handle.fd, -1);
});

test("FileHandle.write's forms and a FileHandle where readFile/writeFile take a path", async (t) => {
  const { fs } = makeTree();
  const handle = await fs.open("/tmp/f", "w+");
  t.true(handle.fd >= 3);
  t.like(await handle.write("hello"), { bytesWritten: 5, buffer: "hello" });
  await handle.write("J", 0, "utf8");
  await handle.write(utf8("__xy__"), { offset: 2, length: 2, position: 5 });
  await fs.writeFile(handle, "!");
  await handle.sync();
  await handle.datasync();
  t.is(await fs.readFile(handle, "utf8"), "y", "positional writes left the position at 5; writeFile wrote '!' there");
  await handle.close();
  t.is(await fs.readFile("/tmp/f", "utf8"), "Jello!y");
});

test("readFile with a creating flag makes the file; appendFile to a new file creates it", async (t) => {
  const { fs } = makeTree();
  t.is((await fs.readFile("/tmp/made", { flag: "a+" })).length, 0);
  await fs.appendFile("/tmp/log", "1\n");
  await fs.appendFile("/tmp/log", "2\n");
  t.is(await fs.readFile("/tmp/log", "utf8"), "1\n2\n");
  t.deepEqual(await fs.readdir("/tmp"), ["log", "made"]);
});

test("text round-trips as UTF-8, lone surrogates becoming U+FFFD", async (t) => {
  const { fs } = makeTree();
  await fs.writeFile("/tmp/t", "héllo 🚤 \ud800!");
  t.is(await fs.readFile("/tmp/t", "utf8"), "héllo 🚤 \ufffd!");
  t.is((await fs.stat("/tmp/t")).size, 16, "1 + 2 + 3 + 1 + 4 + 1 + 3 + 1 bytes");
});
