/**
 * The device benchmark: what the virtio path costs and carries, under the same qemu flags as
 * the vm tests (q35 -nodefaults, modern virtio-pci with disable-legacy=on).
 *   net   frames per second echoed guest ↔ host through -netdev dgram at 64 and 1514 bytes
 *   blk   Skiff sequential write and read MB/s with 4 KiB and 64 KiB requests; the Linux
 *         baseline guest's `dd if=/dev/vda of=/dev/null bs=64k` on the same disk file
 *   idle  qemu's CPU share while the guest sleeps 10 s in setTimeout (no devices, and with
 *         net + disk + rng attached); target under 5 % of a core
 * Results: bench/results/devices-<date>.json and devices-latest.json, plus a summary on stdout.
 *
 *   npx tsx bench/devices/run.ts [--only net,blk,idle,linux] [--frames N] [--window N]
 *       [--blk-total BYTES] [--depth N] [--idle-ms MS] [--machine q35|microvm] [--accel tcg|kvm]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { paths } from "../../host/launch/paths.ts";
import { qemuMachines, type QemuMachine } from "../../host/launch/qemu_profile.ts";
import { DgramWire } from "../../tests/helpers/dgram_wire.ts";
import { benchLinuxBlk, benchSkiffBlk, makeBenchDisk, type BlkFigures } from "./blk.ts";
import { benchIdle, type IdleFigures } from "./idle.ts";
import { benchNet, type NetFigures } from "./net.ts";
import { accelFlag, flag, whole, writeResults } from "../args.ts";

interface DeviceResults {
  readonly date: string;
  readonly host: { cpu: string; cpus: number; qemu: string; node: string };
  readonly settings: Record<string, unknown>;
  readonly net?: readonly NetFigures[];
  readonly blk?: readonly BlkFigures[];
  readonly idle?: readonly IdleFigures[];
  /** Linux dd MB/s ÷ Skiff read MB/s at 64 KiB (target ≤ 2). */
  readonly blkReadRatio64k?: number;
  readonly failures: readonly string[];
  readonly notes: readonly string[];
}

function summary(results: DeviceResults): string {
  const out = [`devices benchmark, ${results.date}, ${results.settings.machine} ${results.settings.accel}, ${results.host.qemu}`];
  for (const net of results.net ?? []) {
    out.push(`  net  ${String(net.frameBytes).padStart(5)} B frames: ${String(net.framesPerSecond).padStart(7)} frames/s echoed (${net.megabitsPerSecond} Mbit/s, ${net.frames} frames, window ${net.window})${net.failure !== undefined ? `  FAILED: ${net.failure}` : ""}`);
  }
  for (const blk of results.blk ?? []) {
    out.push(`  blk  ${blk.guest.padEnd(5)} ${blk.op.padEnd(5)} ${String(blk.requestBytes / 1024).padStart(3)} KiB requests, depth ${blk.depth}: ${blk.megabytesPerSecond.toFixed(1).padStart(7)} MB/s (${(blk.bytes / 1048576).toFixed(0)} MiB in ${blk.ms.toFixed(0)} ms)`);
  }
  if (results.blkReadRatio64k !== undefined) out.push(`  blk  Linux dd / Skiff read at 64 KiB, one request in flight each: ${results.blkReadRatio64k.toFixed(2)}× (target ≤ 2×)`);
  for (const idle of results.idle ?? []) {
    out.push(`  idle devices=${idle.devices}: qemu used ${idle.cpuMs} ms CPU in ${idle.windowMs} ms = ${(idle.coreShare * 100).toFixed(2)} % of a core (target < 5 %)`);
  }
  for (const failure of results.failures) out.push(`  FAILED ${failure}`);
  return out.join("\n");
}

async function main(): Promise<void> {
  if (!fs.existsSync(paths.image)) throw new Error(`${paths.image} is missing: run \`make build\` first`);
  const only = new Set((flag("--only") ?? "net,blk,idle,linux").split(","));
  const machine = (flag("--machine") ?? "q35") as QemuMachine;
  if (!qemuMachines.includes(machine)) throw new Error(`Cannot use --machine ${machine}: expected ${qemuMachines.join(" or ")}`);
  const accel = accelFlag();
  const frames = whole("--frames", 5000);
  const window = whole("--window", 32);
  const blkTotal = whole("--blk-total", 32 << 20);
  const depth = whole("--depth", 4);
  const idleMs = whole("--idle-ms", 10_000);
  const failures: string[] = [];
  const notes: string[] = [
    `every figure under qemu ${accel} on ${machine} -nodefaults with modern virtio-pci (disable-legacy=on); 1 vCPU; host has ${os.cpus().length} CPUs`,
    "net: frames echoed byte for byte by apps/test-net-echo, every echo checked; frames/s counts round trips completed",
  ];
  const attempt = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
    process.stderr.write(`${what}…\n`);
    try {
      return await run();
    } catch (error) {
      failures.push(`${what}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      process.stderr.write(`  ${what} FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
      return undefined;
    }
  };

  const net = only.has("net") ? await attempt("net echo", () => benchNet(machine, accel, [64, 1514], frames, window)) : undefined;

  const blk: BlkFigures[] = [];
  if (only.has("blk") || only.has("linux")) {
    const disk = makeBenchDisk(blkTotal);
    try {
      if (only.has("blk")) {
        for (const req of [4096, 65536]) {
          const figures = await attempt(`skiff blk ${req / 1024} KiB`, () => benchSkiffBlk(machine, accel, disk.file, req, blkTotal, depth));
          if (figures !== undefined) blk.push(...figures);
        }
        // Like for like with dd, which has one request in flight at a time.
        const single = await attempt("skiff blk 64 KiB, depth 1", () => benchSkiffBlk(machine, accel, disk.file, 65536, blkTotal, 1));
        if (single !== undefined && depth !== 1) blk.push(...single);
      }
      if (only.has("linux")) {
        const linux = await attempt("linux dd 64 KiB", () => benchLinuxBlk(machine, accel, disk.file, 65536));
        if (linux !== undefined) blk.push(linux);
      }
    } finally {
      disk.remove();
    }
    notes.push(`blk: a ${blkTotal >> 20} MiB raw file, content non-zero, warm in the host's page cache for both guests; Skiff keeps ${depth} requests in flight, and 1 for the run compared with Linux; Linux dd issues one read at a time but the kernel's readahead batches them`);
  }

  const idle: IdleFigures[] = [];
  if (only.has("idle")) {
    const none = await attempt("idle, no devices", () => benchIdle(machine, accel, [], idleMs));
    if (none !== undefined) idle.push(none);
    const wire = await DgramWire.open();
    const disk = makeBenchDisk(1 << 20);
    try {
      const all = await attempt("idle, net+disk+rng", () => benchIdle(machine, accel, [wire.device, { kind: "disk", file: disk.file, readOnly: false }, { kind: "rng" }], idleMs));
      if (all !== undefined) idle.push(all);
    } finally {
      wire.close();
      disk.remove();
    }
  }

  const skiffRead = blk.find((figure) => figure.guest === "skiff" && figure.op === "read" && figure.requestBytes === 65536 && figure.depth === 1);
  const linuxRead = blk.find((figure) => figure.guest === "linux");
  const qemuVersion = execFileSync("qemu-system-x86_64", ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "";
  const results: DeviceResults = {
    date: new Date().toISOString(),
    host: { cpu: os.cpus()[0]?.model ?? "unknown", cpus: os.cpus().length, qemu: qemuVersion, node: process.version },
    settings: { machine, accel, frames, window, blkTotal, depth, idleMs, only: [...only] },
    ...(net !== undefined ? { net } : {}),
    ...(blk.length > 0 ? { blk } : {}),
    ...(idle.length > 0 ? { idle } : {}),
    ...(skiffRead !== undefined && linuxRead !== undefined ? { blkReadRatio64k: Number((linuxRead.megabytesPerSecond / skiffRead.megabytesPerSecond).toFixed(3)) } : {}),
    failures,
    notes,
  };
  const files = writeResults("devices", results.date, results);
  process.stdout.write(`${summary(results)}\n\nwritten: ${files.join(", ")}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
