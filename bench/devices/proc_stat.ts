/**
 * CPU time a process has used, from /proc/PID/stat (proc(5)): utime and stime, fields 14 and
 * 15, in clock ticks of `getconf CLK_TCK`. Summed over all of the process's threads, which for
 * qemu means the vCPU thread, the main loop and the I/O threads alike.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  return ticksPerSecond;
}

/** Seconds of CPU (user + system) in a stat file's text (/proc/PID/stat or /proc/PID/task/TID/stat). */
function statSeconds(stat: string): number {
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

/** Seconds of CPU (user + system) process `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  return statSeconds(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** Seconds of CPU each thread of process `pid` has used so far, by thread id (for qemu under TCG, the vCPU's apart). */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) seconds.set(tid, statSeconds(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8")));
  return seconds;
}
