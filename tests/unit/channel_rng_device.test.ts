/**
 * ChannelDevice and RngDevice on the fake platform through the scheduler's loop: bytes
 * cross the channel both ways in order (including a write larger than the channel holds at
 * once), a reader waits for bytes that arrive later, and RngDevice hands back the device's
 * own bytes.
 */
import test from "ava";
import { Devices } from "../../kernel-ts/dev/mod.ts";
import { makeScheduler } from "./helpers/fake.ts";

const bytesOf = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const textOf = (bytes: Uint8Array) => String.fromCharCode(...bytes);

function setup(capacity = 4096) {
  const { platform, scheduler } = makeScheduler({ devices: [{ kind: "console", capacity }, { kind: "rng", seed: 3 }] });
  const devices = new Devices(platform, scheduler);
  return { platform, scheduler, devices, host: platform.channel(0) };
}

test("bytes the host sent before a read are returned by it, in order", async (t) => {
  const { scheduler, devices, host } = setup();
  host.inject(bytesOf("hello "));
  host.inject(bytesOf("there"));
  const task = scheduler.spawn("reader", () => devices.channel!.read());
  await scheduler.run();
  t.is(textOf(await task.result), "hello there");
});

test("a reader waits for bytes that arrive later, and the loop stays alive for it", async (t) => {
  const { scheduler, devices, host } = setup();
  const task = scheduler.spawn("reader", () => devices.channel!.read());
  scheduler.setTimeout(() => host.inject(bytesOf("late")), 50);
  await scheduler.run();
  t.is(textOf(await task.result), "late");
});

test("a write larger than the channel holds completes as the host drains it", async (t) => {
  const { scheduler, devices, host } = setup(16);
  const message = bytesOf("0123456789abcdefghijklmnopqrstuvwxyz");
  let received = "";
  const drain = scheduler.setInterval(() => { received += textOf(host.take()); }, 10);
  const task = scheduler.spawn("writer", async () => {
    await devices.channel!.write(message);
    scheduler.clearInterval(drain);
    received += textOf(host.take());
  });
  await scheduler.run();
  await task.result;
  t.is(received, textOf(message));
});

test("RngDevice reads the requested number of bytes from the device", async (t) => {
  const { scheduler, devices } = setup();
  const task = scheduler.spawn("rng", () => devices.rng!.read(40));
  await scheduler.run();
  const bytes = await task.result;
  t.is(bytes.length, 40);
  t.true(new Set(bytes).size > 10, "the bytes look random");
  t.throws(() => devices.rng!.read(0), { instanceOf: RangeError });
});
