/**
 * virtio-blk sequential throughput. Skiff: apps/test-blk env.mode=bench times its own requests
 * and prints "blk-bench: op=… req=… depth=… bytes=… ms=… MBps=…". Linux baseline: the guest of
 * bench/linux-guest with the same disk file attached the same way (virtio-blk-pci,
 * disable-legacy=on) runs busybox `dd if=/dev/vda of=/dev/null bs=64k`, timed inside the guest.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { QemuMachine } from "../../host/launch/qemu_profile.ts";
import type { Accel } from "../../host/launch/qemu.ts";
import { linuxRunPattern, prepareLinuxGuest, virtioBlkModules } from "../linux-guest/mod.ts";
import { startVm } from "./skiff_vm.ts";

export interface BlkFigures {
  readonly guest: "skiff" | "linux";
  readonly op: "read" | "write";
  readonly requestBytes: number;
  readonly depth: number;
  readonly bytes: number;
  readonly ms: number;
  readonly megabytesPerSecond: number;
  readonly note?: string;
}

const blkBenchLine = /^blk-bench: op=(read|write) req=(\d+) depth=(\d+) bytes=(\d+) ms=([0-9.]+) MBps=([0-9.]+)$/;

/** A disk file of `bytes` with non-zero content (so no layer can short-cut zeros), removed by the caller. */
export function makeBenchDisk(bytes: number): { file: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-bench-disk-"));
  const file = path.join(dir, "disk.img");
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 131 + 7) & 0xff;
  const handle = fs.openSync(file, "w");
  for (let written = 0; written < bytes; written += chunk.length) fs.writeSync(handle, chunk, 0, Math.min(chunk.length, bytes - written));
  fs.closeSync(handle);
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function benchSkiffBlk(machine: QemuMachine, accel: Accel, disk: string, requestBytes: number, totalBytes: number, depth: number): Promise<BlkFigures[]> {
  const vm = startVm({
    machine,
    accel,
    app: "test-blk",
    env: { mode: "bench", req: requestBytes, total: totalBytes, depth },
    devices: [{ kind: "disk", file: disk, readOnly: false }],
    timeoutMs: 600_000,
  });
  try {
    const result = await vm.result;
    const figures = vm.lines.flatMap((line): BlkFigures[] => {
      const match = blkBenchLine.exec(line);
      if (match === null) return [];
      return [{ guest: "skiff", op: match[1] as "read" | "write", requestBytes: Number(match[2]), depth: Number(match[3]), bytes: Number(match[4]), ms: Number(match[5]), megabytesPerSecond: Number(match[6]) }];
    });
    if (figures.length === 0) throw new Error(`test-blk printed no blk-bench line (${result.guest.ok ? `exit ${result.guest.code}` : result.guest.reason}); console:\n${vm.lines.join("\n")}\n${result.stderr}`);
    return figures;
  } finally {
    vm.stop();
  }
}

export async function benchLinuxBlk(machine: QemuMachine, accel: Accel, disk: string, requestBytes: number): Promise<BlkFigures> {
  const command = `dd if=/dev/vda of=/dev/null bs=${requestBytes / 1024}k`;
  const guest = prepareLinuxGuest({ modules: virtioBlkModules, run: command });
  const vm = startVm({
    machine,
    accel,
    app: "linux",
    kernel: guest.kernel,
    initrd: guest.initrd,
    rawCmdline: guest.cmdline,
    memory: "256M",
    devices: [{ kind: "disk", file: disk, readOnly: false }],
    timeoutMs: 600_000,
  });
  try {
    const result = await vm.result;
    const run = vm.lines.map((line) => linuxRunPattern.exec(line)).find((match) => match !== null);
    if (run === undefined || run[1] !== "0") {
      throw new Error(`the Linux guest did not run \`${command}\` (${result.guest.ok ? `exit ${result.guest.code}` : result.guest.reason}); console:\n${vm.lines.join("\n")}`);
    }
    const bytes = fs.statSync(disk).size;
    const ms = Number(run[2]) * 10;
    const ddLine = vm.lines.find((line) => /bytes .* copied/.test(line));
    return {
      guest: "linux",
      op: "read",
      requestBytes,
      depth: 1,
      bytes,
      ms,
      megabytesPerSecond: Number((bytes / 1e6 / (ms / 1000)).toFixed(2)),
      note: `busybox \`${command}\` in ${guest.kernelPackage}, timed from /proc/uptime (10 ms resolution)${ddLine !== undefined ? `; dd said: ${ddLine.trim()}` : ""}`,
    };
  } finally {
    vm.stop();
  }
}
