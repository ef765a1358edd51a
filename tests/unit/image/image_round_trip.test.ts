/**
 * The app image: what host/build/app_image.ts writes, kernel-ts/image/read_image.ts reads back
 * exactly; and a truncated, corrupted or malformed image is an AppImageError saying what is
 * wrong — for every prefix and every flipped byte of a small image, never an exception.
 */
import test from "ava";
import { writeAppImage, type ImageEntry } from "../../../host/build/app_image.ts";
import { crc32 } from "../../../kernel-ts/image/crc32.ts";
import { CRC_START, HEADER, HEADER_BYTES } from "../../../kernel-ts/image/format.ts";
import { imageAppSource } from "../../../kernel-ts/image/image_app.ts";
import { engineMismatch, type ImageMetadata } from "../../../kernel-ts/image/metadata.ts";
import { appImageEntries, AppImageError, bootAppImage, parseAppImage, type AppImage } from "../../../kernel-ts/image/mod.ts";

const metadata: ImageMetadata = {
  format: 1,
  app: { name: "demo", entry: "main.ts", ports: [8080], env: { MODE: "test" }, assets: "assets", memoryMb: 16, cpuBudgetMs: 100, linked: false },
  engine: { quickjs: "2025-04-26", bytecodeVersion: 4 },
};
const text = (s: string) => new TextEncoder().encode(s);
const entries: ImageEntry[] = [
  { path: "/app/demo.bc", data: Uint8Array.from([4, 1, 2, 3, 5]) },
  { path: "/app/demo.js", data: text('export default { main() { return 7; } };\n') },
  { path: "/app/assets/empty", data: new Uint8Array(0) },
  { path: "/app/assets/a/b/ünïcode.txt", data: text("héllo") },
];

function parsed(bytes: Uint8Array): AppImage {
  const image = parseAppImage(bytes);
  if (image instanceof AppImageError) throw new Error(`unexpected: ${image.message}`);
  return image;
}

function reason(bytes: Uint8Array): string {
  const image = parseAppImage(bytes);
  if (!(image instanceof AppImageError)) throw new Error("the image was accepted");
  return image.reason;
}

/** Rewrites the CRC so a deliberately malformed image gets past the corruption check. */
function resealed(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(HEADER.crc32, crc32(copy, CRC_START, new DataView(copy.buffer).getUint32(HEADER.imageLength, true)), true);
  return copy;
}

function setU32(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(at, value, true);
  return copy;
}

const image = writeAppImage(metadata, entries);

test("what the writer writes, the reader reads back: metadata, paths in order, bytes", (t) => {
  const read = parsed(image);
  t.deepEqual(read.metadata, metadata);
  t.deepEqual([...read.entries.keys()], entries.map((entry) => entry.path));
  for (const entry of entries) t.deepEqual([...read.entries.get(entry.path)!], [...entry.data]);
  t.is(read.length, image.length);
  t.is(image.length % 4, 0);
});

test("entries are views into the image, not copies", (t) => {
  const read = parsed(image);
  t.is(read.entries.get("/app/demo.bc")!.buffer, image.buffer);
});

test("the writer is deterministic, and every data length pads to 4 bytes", (t) => {
  t.deepEqual(writeAppImage(metadata, entries), image);
  for (let n = 0; n <= 9; n++) {
    const one = writeAppImage(metadata, [{ path: "/app/x", data: new Uint8Array(n).fill(n) }]);
    t.deepEqual([...parsed(one).entries.get("/app/x")!], new Array(n).fill(n));
  }
});

test("an image with no entries is valid", (t) => {
  t.is(parsed(writeAppImage(metadata, [])).entries.size, 0);
});

test("bytes past the image's own length are ignored (a hypervisor may pad a module)", (t) => {
  const longer = new Uint8Array(image.length + 4096);
  longer.set(image);
  longer.fill(0xcc, image.length);
  t.deepEqual([...parsed(longer).entries.keys()], entries.map((entry) => entry.path));
});

test("every truncation is an AppImageError that says so, never an exception", (t) => {
  for (let n = 0; n < image.length; n++) {
    const result = parseAppImage(image.subarray(0, n));
    t.true(result instanceof AppImageError, `prefix of ${n} bytes was accepted`);
    if (!(result instanceof AppImageError)) continue;
    if (n < HEADER_BYTES) t.is(result.reason, `the image is truncated: ${n} bytes, shorter than its 32-byte header`);
    else t.is(result.reason, `the image is truncated: the header says ${image.length} bytes, there are ${n}`);
    t.regex(result.message, /^Cannot read the app image: /);
  }
});

test("every flipped byte is an AppImageError (mostly the CRC), never an exception", (t) => {
  for (let at = 0; at < image.length; at++) {
    const corrupt = image.slice();
    corrupt[at]! ^= 0x5a;
    const result = parseAppImage(corrupt);
    t.true(result instanceof AppImageError, `flipping byte ${at} was not noticed`);
  }
  const corrupt = image.slice();
  corrupt[image.length - 1]! ^= 1;
  t.regex(reason(corrupt), /^the image is corrupt: its CRC-32 is 0x[0-9a-f]{8}, the header says 0x[0-9a-f]{8}$/);
});

test("verifyCrc: false skips only the CRC: a flipped data byte reads back flipped, and no flipped byte or prefix escapes the bounds checks", (t) => {
  const unchecked = { verifyCrc: false };
  const dataByte = image.lastIndexOf(0x6f); // the "o" of "héllo", the last entry's data
  const flipped = image.slice();
  flipped[dataByte]! ^= 0x20;
  t.regex(reason(flipped), /^the image is corrupt/);
  const read = parseAppImage(flipped, unchecked);
  t.false(read instanceof AppImageError);
  if (!(read instanceof AppImageError)) t.is(new TextDecoder().decode(read.entries.get("/app/assets/a/b/ünïcode.txt")), "héllO");
  for (let at = 0; at < image.length; at++) {
    const bytes = image.slice();
    bytes[at]! ^= 0x5a;
    const result = parseAppImage(bytes, unchecked);
    if (result instanceof AppImageError) continue;
    for (const [path, data] of result.entries) t.true(data.byteOffset + data.length <= image.length, `flipping byte ${at}: ${path} passes the end`);
  }
  for (let n = 0; n < image.length; n++) t.true(parseAppImage(image.subarray(0, n), unchecked) instanceof AppImageError, `prefix of ${n} bytes was accepted`);
  t.throws(() => appImageEntries({ bootImage: () => image.subarray(0, 40) }, unchecked), { instanceOf: AppImageError, message: /truncated/ });
});

test("the header: magic, version, image length", (t) => {
  const badMagic = image.slice();
  badMagic[0] = 0x7f;
  t.is(reason(badMagic), 'the image does not start with the magic "SKIFFIMG": not a Skiff app image');
  t.is(reason(setU32(image, HEADER.version, 2)), "the image is format version 2; this kernel reads version 1");
  t.is(reason(setU32(image, HEADER.imageLength, 8)), "the header gives an image length of 8 bytes, shorter than the header");
  t.is(reason(new Uint8Array(3)), "the image is truncated: 3 bytes, shorter than its 32-byte header");
});

test("malformed structure behind a valid CRC: lengths that pass the end, counts that do not add up", (t) => {
  const metadataLength = new DataView(image.buffer).getUint32(HEADER.metadataLength, true);
  const firstEntry = HEADER_BYTES + ((metadataLength + 3) & ~3);
  t.is(reason(resealed(setU32(image, HEADER.metadataLength, image.length))), `the metadata length ${image.length} passes the end of the image`);
  t.regex(reason(resealed(setU32(image, HEADER.entryCount, entries.length + 1))), /^entry 4 of 5 starts at byte \d+, past the end of the image/);
  t.regex(reason(resealed(setU32(image, HEADER.entryCount, entries.length - 1))), /^the 3 entries end at byte \d+, but the image is \d+ bytes$/);
  t.is(reason(resealed(setU32(image, firstEntry, 0))), "entry 0 has a path of 0 bytes (1–1024 allowed)");
  t.regex(reason(resealed(setU32(image, firstEntry + 4, 0xfffffff0))), /^entry 0 \(12-byte path, 4294967280 bytes of data at byte \d+\) passes the end of the image/);
});

test("paths outside /app/, with dot segments, or repeated, are refused", (t) => {
  const withPath = (path: string) => {
    const one = writeAppImage(metadata, [{ path: "/app/xxxxxxx", data: new Uint8Array(1) }]);
    const at = one.indexOf(0x2f); // the first "/" is the path's
    one.set(text(path), at);
    return resealed(one);
  };
  t.is(reason(withPath("/etc/passwd1")), 'entry 0\'s path "/etc/passwd1" does not start with /app/');
  t.is(reason(withPath("/app/../x/y1")), 'entry 0\'s path "/app/../x/y1" has an empty, "." or ".." segment');
  t.is(reason(withPath("/app//xxxxxx")), 'entry 0\'s path "/app//xxxxxx" has an empty, "." or ".." segment');
  const twice = writeAppImage(metadata, [{ path: "/app/a", data: new Uint8Array(1) }, { path: "/app/b", data: new Uint8Array(1) }]);
  twice.set(text("/app/a"), twice.lastIndexOf(0x2f) - 4);
  t.is(reason(resealed(twice)), "the path /app/a appears twice");
});

test("metadata that is not JSON, or not the shape, is refused", (t) => {
  const withMetadata = (json: string) => {
    const one = writeAppImage(metadata, []);
    const bytes = text(json.padEnd(new DataView(one.buffer).getUint32(HEADER.metadataLength, true), " "));
    one.set(bytes, HEADER_BYTES);
    return resealed(one);
  };
  t.regex(reason(withMetadata("{ not json")), /^the metadata is not JSON: /);
  t.is(reason(withMetadata('{"format":2}')), "the metadata's format is 2, not 1");
  t.is(reason(withMetadata('{"format":1,"engine":{"quickjs":"x"}}')), "the metadata's engine must be { quickjs: string, bytecodeVersion: 0–255 }");
  t.regex(reason(withMetadata('{"format":1,"engine":{"quickjs":"x","bytecodeVersion":4},"app":{"name":"demo"}}')), /^the metadata's app manifest is invalid: "entry" is missing/);
});

test("the writer refuses paths outside /app/ and repeated paths", (t) => {
  t.throws(() => writeAppImage(metadata, [{ path: "/etc/x", data: new Uint8Array(0) }]), { message: /paths start with \/app\// });
  t.throws(() => writeAppImage(metadata, [{ path: "/app/x", data: new Uint8Array(0) }, { path: "/app/x", data: new Uint8Array(0) }]), { message: /appears twice/ });
});

test("crc32 is zlib's (check value of \"123456789\")", (t) => {
  t.is(crc32(text("123456789")), 0xcbf43926);
  t.is(crc32(new Uint8Array(0)), 0);
});

test("engineMismatch names both versions", (t) => {
  t.is(engineMismatch(metadata.engine, { quickjs: "2025-04-26", bytecodeVersion: 4 }), undefined);
  t.is(engineMismatch(metadata.engine, { quickjs: "2025-09-13", bytecodeVersion: 5 }),
    "the image was built for QuickJS 2025-04-26 (bytecode version 4), this kernel runs QuickJS 2025-09-13 (bytecode version 5): rebuild it with `skiff build`");
});

test("appImageEntries: the boot image's entries, undefined without one, AppImageError for a bad one", (t) => {
  t.deepEqual([...appImageEntries({ bootImage: () => image })!.keys()], entries.map((entry) => entry.path));
  t.is(appImageEntries({ bootImage: () => undefined }), undefined);
  t.is(bootAppImage({ bootImage: () => image })?.metadata.app.name, "demo");
  t.throws(() => appImageEntries({ bootImage: () => image.subarray(0, 40) }), { instanceOf: AppImageError, message: /truncated/ });
});

test("imageAppSource: an app's bundle from the image, undefined when absent, an error for a bad image", (t) => {
  t.is(imageAppSource(image, "demo"), 'export default { main() { return 7; } };\n');
  t.is(imageAppSource(image, "other"), undefined);
  t.is(imageAppSource(undefined, "demo"), undefined);
  t.throws(() => imageAppSource(image.subarray(0, 100), "demo"), { instanceOf: AppImageError });
  const bytecodeOnly = writeAppImage(metadata, [{ path: "/app/demo.bc", data: new Uint8Array([4]) }]);
  t.throws(() => imageAppSource(bytecodeOnly, "demo"), { message: /holds \/app\/demo\.bc but not \/app\/demo\.js/ });
});
