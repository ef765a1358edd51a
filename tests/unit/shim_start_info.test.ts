/**
 * The shim keeps the app image where the hypervisor put it: start_info.c records PVH
 * module 0, the heap (hal_boot_heap_range) is carved around it, and a module outside RAM or
 * over the shim's image is a panic. Driven through tests/native/start_info_test.c on the host.
 */
import test from "ava";
import { spawnSync } from "node:child_process";
import { buildNativeTest } from "../helpers/native.ts";

const binary = buildNativeTest("tests/native/start_info_test.c", ["shim/boot/start_info.c"], [], ["-fsanitize=address,undefined", "-g"]);
const MiB = 1024 * 1024;

function run(scenario: string) {
  const result = spawnSync(binary, [scenario], { encoding: "utf8" });
  const numbers = (label: string) => {
    const match = new RegExp(`^${label} (0x[0-9a-f]+|0) (0x[0-9a-f]+|0)$`, "m").exec(result.stdout);
    return match === null ? undefined : [Number(match[1]), Number(match[2])] as const;
  };
  return { status: result.status, out: result.stdout, heap: numbers("heap"), module: numbers("module") };
}

test("an image at the top of RAM: the heap stops below its first page", (t) => {
  const { status, heap, module, out } = run("top");
  t.is(status, 0, out);
  t.deepEqual(module, [64 * MiB - 0x4a000, 64 * MiB - 0x4a000 + 300001]);
  t.deepEqual(heap, [2 * MiB, 64 * MiB - 0x4a000]);
});

test("an image in the middle of RAM: the heap takes the larger side, clear of its pages", (t) => {
  const { status, heap, module, out } = run("middle");
  t.is(status, 0, out);
  const [moduleStart, moduleEnd] = module!;
  const [heapStart, heapEnd] = heap!;
  t.true(heapEnd <= Math.floor(moduleStart / 4096) * 4096 || heapStart >= Math.ceil(moduleEnd / 4096) * 4096, out);
  t.deepEqual(heap, [Math.ceil((30 * MiB + 0x123 + 5000) / 4096) * 4096, 64 * MiB]);
});

test("without a module the heap runs from the image to the top of RAM", (t) => {
  const { status, heap, out } = run("none");
  t.is(status, 0, out);
  t.regex(out, /^modules 0$/m);
  t.deepEqual(heap, [2 * MiB, 64 * MiB]);
});

test("a module outside RAM, or over the shim's image, is a panic that says so", (t) => {
  const outside = run("outside-ram");
  t.is(outside.status, 3);
  t.regex(outside.out, /^panic: PVH module 0 at \[0xa0000, 0xa1000\) is not in RAM: the kernel cannot keep it$/m);
  const over = run("over-image");
  t.is(over.status, 3);
  t.regex(over.out, /^panic: PVH module 0 at \[0x1ff000, 0x201000\) overlaps the shim's image \[0x100000, 0x200000\)$/m);
});
