/**
 * One wire for every platform: the same Node harness (tests/helpers/dgram_wire.ts) that
 * talks to a VM over qemu's -netdev dgram talks here to the kernel hosted in
 * quickjs-emscripten, `skiff run --hosted --net dgram:…` in a child process (its wait
 * sleeps the thread, so the harness cannot share it). The hosted app echoes a thousand
 * frames of 60–1514 bytes byte for byte and in order.
 */
import test from "ava";
import { spawn } from "node:child_process";
import { DgramWire, echoFrames, makeFrames, MAX_FRAME, MIN_FRAME } from "../helpers/dgram_wire.ts";

const FRAMES = 1000;

test(`the hosted kernel echoes ${FRAMES} frames over the same UDP framing as qemu's -netdev dgram`, async (t) => {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const wire = await DgramWire.open();
  t.teardown(() => wire.close());
  const device = wire.device;
  if (device.kind !== "net") throw new Error("DgramWire gave a non-net device");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "host/bin/skiff.ts", "run", "test-net-echo", "--hosted", "--no-build", "--linked",
      "--net", `dgram:${device.localPort}:${device.remotePort}`, "--cmdline", `net=off env.count=${FRAMES}`, "--timeout", "120"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  t.teardown(() => child.kill("SIGKILL"));
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (/^net-echo: ready /m.test(output)) resolve();
    });
    child.stderr.on("data", (chunk: Buffer) => { output += chunk.toString("utf8"); });
    child.once("exit", () => reject(new Error(`the hosted kernel exited before it was ready:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await ready;
  const outcome = await echoFrames(wire, makeFrames(seed, FRAMES, { min: MIN_FRAME, max: MAX_FRAME }), { window: 16, stallMs: 20_000, deadlineMs: 100_000 });
  if (outcome.failure !== undefined) t.log(`seed ${seed}\n${output}`);
  t.is(outcome.failure, undefined);
  t.is(outcome.echoed, FRAMES);
  t.is(await exited, 0, output);
  t.regex(output, new RegExp(`^net-echo: echoed ${FRAMES} frames, ${outcome.bytes} bytes$`, "m"));
});
