/**
 * Frames per second echoed guest ↔ host through -netdev dgram: apps/test-net-echo in the VM,
 * the dgram wire of the vm tests on the host, a window of frames in flight, every echo checked
 * byte for byte (a benchmark that counts wrong frames measures nothing). One boot runs every
 * frame size in turn, then the stop frame ends the app.
 */
import { DgramWire, echoFrames, makeFrames, stopFrame } from "../../tests/helpers/dgram_wire.ts";
import type { QemuMachine } from "../../host/launch/qemu_profile.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import { startVm } from "./skiff_vm.ts";

export interface NetFigures {
  readonly frameBytes: number;
  readonly frames: number;
  readonly window: number;
  readonly elapsedMs: number;
  readonly framesPerSecond: number;
  /** Payload megabits per second, both directions counted once. */
  readonly megabitsPerSecond: number;
  readonly failure?: string;
}

export async function benchNet(machine: QemuMachine, accel: Accel, sizes: readonly number[], frames: number, window: number): Promise<NetFigures[]> {
  const wire = await DgramWire.open();
  const vm = startVm({ machine, accel, app: "test-net-echo", cmdline: "net=off", devices: [wire.device], timeoutMs: 600_000 });
  try {
    await vm.waitForLine(/^net-echo: ready /, 60_000);
    const figures: NetFigures[] = [];
    for (const size of sizes) {
      // A short warm-up so the first size does not pay for TCG translating the echo loop.
      await echoFrames(wire, makeFrames(size, Math.min(200, frames), { min: size, max: size }), { window, stallMs: 10_000, deadlineMs: 60_000 });
      const outcome = await echoFrames(wire, makeFrames(size + 1, frames, { min: size, max: size }), { window, stallMs: 10_000, deadlineMs: 300_000 });
      const seconds = outcome.elapsedMs / 1000;
      figures.push({
        frameBytes: size,
        frames: outcome.echoed,
        window,
        elapsedMs: Math.round(outcome.elapsedMs),
        framesPerSecond: Math.round(outcome.echoed / seconds),
        megabitsPerSecond: Number(((outcome.bytes * 8) / 1e6 / seconds).toFixed(2)),
        ...(outcome.failure !== undefined ? { failure: outcome.failure } : {}),
      });
      process.stderr.write(`  net ${size} B: ${outcome.echoed} frames in ${outcome.elapsedMs.toFixed(0)} ms${outcome.failure !== undefined ? ` FAILED: ${outcome.failure}` : ""}\n`);
      if (outcome.failure !== undefined) break;
    }
    wire.send(stopFrame());
    await Promise.race([vm.result, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    return figures;
  } finally {
    vm.stop();
    wire.close();
  }
}
