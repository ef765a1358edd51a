/** Runs a make target in the repository, output to the terminal; throws when make fails. */
import { spawnSync } from "node:child_process";
import { paths } from "../launch/paths.ts";

export function runMake(target: string): void {
  const result = spawnSync("make", ["-C", paths.repoRoot, target], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.error !== undefined) throw new Error(`Cannot run make: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`make ${target} failed (status ${result.status ?? result.signal})`);
}
