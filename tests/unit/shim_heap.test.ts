/**
 * The shim's allocator (shim/mm/heap.c), compiled for the host with the C driver in
 * tests/native/heap_test.c: a seeded QuickJS-like mix of malloc/realloc/free with every
 * block's contents, alignment, usable size and the heap's accounting checked at each step.
 * One fixed seed and one fresh seed per run (printed in the test's title, to replay it).
 */
import test from "ava";
import { execFileSync } from "node:child_process";
import { buildNativeTest } from "../helpers/native.ts";

const RENAMES = ["malloc", "free", "realloc", "calloc", "malloc_usable_size"].map((name) =>
  name === "malloc_usable_size" ? `${name}=heap_usable_size` : `${name}=heap_${name}`,
);
const binary = buildNativeTest("tests/native/heap_test.c", ["shim/mm/heap.c"], RENAMES);

for (const seed of [42, Math.floor(Math.random() * 2 ** 31)]) {
  test(`the heap stays consistent over 300k random operations (seed ${seed})`, (t) => {
    const output = execFileSync(binary, [String(seed), "300000"], { encoding: "utf8" });
    t.regex(output, /^ok seed=\d+ operations=300000 rate=\d+/);
  });
}
