/**
 * The split virtqueue (shim/virtio/virtqueue.c) against a device side played in C
 * (tests/native/virtqueue_test.c): seeded random requests of 1–3 buffers, out-of-order
 * completions, EVENT_IDX notification and interrupt suppression, free-list accounting,
 * and a completion racing with re-arming. Seed in the title, to replay a failure.
 */
import test from "ava";
import { execFileSync } from "node:child_process";
import { buildNativeTest } from "../helpers/native.ts";

const binary = buildNativeTest("tests/native/virtqueue_test.c", ["shim/virtio/virtqueue.c"]);

for (const seed of [7, Math.floor(Math.random() * 2 ** 31)]) {
  test(`the virtqueue keeps its contract with a device over 100k rounds (seed ${seed})`, (t) => {
    const output = execFileSync(binary, [String(seed), "100000"], { encoding: "utf8" });
    t.regex(output, /^ok seed=\d+ rounds=100000 requests=\d+ notifications=\d+ interrupts=\d+/);
  });
}
