/**
 * The shim's allocator (shim/mm/heap.c), compiled for the host with the C driver in
 * tests/native/heap_test.c: a seeded QuickJS-like mix of malloc/realloc/free with every
 * block's contents, alignment, usable size and the heap's accounting checked at each step.
 * One fixed seed and one fresh seed per run (printed on failure, to replay it).
 */
import test from "ava";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const OUT = "build/test";
const RENAME = ["malloc", "free", "realloc", "calloc"].map((name) => `-D${name}=heap_${name}`);

function compile(): string {
  mkdirSync(OUT, { recursive: true });
  const flags = ["-O2", "-Wall", "-Ishim/include", ...RENAME, "-Dmalloc_usable_size=heap_usable_size"];
  execFileSync("gcc", [...flags, "-c", "shim/mm/heap.c", "-o", `${OUT}/heap.o`]);
  execFileSync("gcc", ["-O2", "-Ishim/include", "tests/native/heap_test.c", `${OUT}/heap.o`, "-o", `${OUT}/heap_test`]);
  return `${OUT}/heap_test`;
}

const binary = compile();

for (const seed of [42, Math.floor(Math.random() * 2 ** 31)]) {
  test(`the heap stays consistent over 300k random operations (seed ${seed})`, (t) => {
    const output = execFileSync(binary, [String(seed), "300000"], { encoding: "utf8" });
    t.regex(output, /^ok seed=\d+ operations=300000 rate=\d+/);
  });
}
