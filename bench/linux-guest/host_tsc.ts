/**
 * The host's TSC frequency, for the Linux guest's `tsc_early_khz=`. Under TCG the guest's
 * TSC ticks at the host's rate, and on microvm (no port 0x61, no HPET, no PM timer) Linux
 * fails to calibrate it against the PIT about half the time and then hangs before /init.
 * Giving it the frequency skips that calibration on both machines. Known only when the host
 * CPU has a constant TSC; then /proc/cpuinfo's "cpu MHz" is that rate.
 */
import fs from "node:fs";

export function hostTscKhz(): number | undefined {
  let cpuinfo: string;
  try {
    cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return undefined;
  }
  const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.split(/\s+/) ?? [];
  const mhz = Number(/^cpu MHz\s*:\s*([0-9.]+)$/m.exec(cpuinfo)?.[1]);
  if (!flags.includes("constant_tsc") || !Number.isFinite(mhz) || mhz <= 0) return undefined;
  return Math.round(mhz * 1000);
}
