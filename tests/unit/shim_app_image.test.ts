/**
 * The shim's app image reader (shim/lib/app_image.c), compiled for the host with
 * tests/native/app_image_test.c under AddressSanitizer (the image sits in a heap block of its
 * exact size, so a read out of bounds aborts the run): it accepts what the TypeScript writer writes, finds each entry, and
 * refuses every truncation and corruption with the TypeScript reader's own words.
 */
import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeAppImage } from "../../host/build/app_image.ts";
import { crc32 } from "../../kernel-ts/image/crc32.ts";
import { AppImageError, parseAppImage } from "../../kernel-ts/image/read_image.ts";
import type { ImageMetadata } from "../../kernel-ts/image/metadata.ts";
import { buildNativeTest } from "../helpers/native.ts";

const binary = buildNativeTest("tests/native/app_image_test.c", ["shim/lib/app_image.c", "shim/lib/crc32.c"], [], ["-fsanitize=address", "-g"]);
const dir = mkdtempSync(join(tmpdir(), "skiff-c-image-"));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

const metadata: ImageMetadata = {
  format: 1,
  app: { name: "demo", entry: "main.ts", ports: [], env: {}, cpuBudgetMs: 100, linked: true },
  engine: { quickjs: "2025-04-26", bytecodeVersion: 4 },
};
const bytecode = Uint8Array.from({ length: 301 }, (_, i) => (i * 7) & 0xff);
const asset = new TextEncoder().encode("an asset\n");
const image = writeAppImage(metadata, [
  { path: "/app/demo.bc", data: bytecode },
  { path: "/app/demo.js", data: new TextEncoder().encode("export default {};") },
  { path: "/app/assets/a.txt", data: asset },
]);

let files = 0;
function runC(bytes: Uint8Array, ...paths: string[]): { status: number | null; out: string } {
  const file = join(dir, `${files++}.img`);
  writeFileSync(file, bytes);
  const result = spawnSync(binary, [file, ...paths], { encoding: "utf8" });
  return { status: result.status, out: result.stdout.trim() };
}

function tsReason(bytes: Uint8Array): string | undefined {
  const parsed = parseAppImage(bytes);
  return parsed instanceof AppImageError ? parsed.reason : undefined;
}

test("the C reader opens the writer's image and finds each entry, byte for byte", (t) => {
  const { status, out } = runC(image, "/app/demo.bc", "/app/assets/a.txt", "/app/other.bc", "/app/demo.b");
  t.is(status, 0, out);
  t.deepEqual(out.split("\n"), [
    `ok length=${image.length} entries=3 metadata=${new TextEncoder().encode(JSON.stringify(metadata)).length}`,
    `found /app/demo.bc 301 ${crc32(bytecode).toString(16).padStart(8, "0")}`,
    `found /app/assets/a.txt 9 ${crc32(asset).toString(16).padStart(8, "0")}`,
    "absent /app/other.bc",
    "absent /app/demo.b",
  ]);
});

test("the C reader refuses every truncation with the TypeScript reader's words", (t) => {
  for (const n of [0, 1, 31, 32, 33, 100, image.length - 4, image.length - 1]) {
    const { status, out } = runC(image.subarray(0, n));
    t.is(status, 1, `prefix ${n}: ${out}`);
    t.is(out, `error: ${tsReason(image.subarray(0, n))}`);
  }
});

test("the C reader refuses corrupted bytes with the TypeScript reader's words", (t) => {
  for (const at of [0, 8, 12, 16, 20, 24, 28, 40, image.length - 1]) {
    const corrupt = image.slice();
    corrupt[at]! ^= 0x41;
    const { status, out } = runC(corrupt);
    t.is(status, 1, `byte ${at}: ${out}`);
    t.is(out, `error: ${tsReason(corrupt)}`, `byte ${at}`);
  }
});
