/**
 * A `skiff dev` child process in the hot-reload tests: stopped at the end whatever happened —
 * SIGTERM (it kills its VM), then SIGKILL if it is still there after 10 s.
 */
import type { ChildProcess } from "node:child_process";

export async function stopDev(dev: ChildProcess | undefined): Promise<void> {
  if (dev === undefined || dev.exitCode !== null) return;
  const exited = new Promise((resolve) => dev.once("exit", resolve));
  dev.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (dev.exitCode === null) dev.kill("SIGKILL");
}
