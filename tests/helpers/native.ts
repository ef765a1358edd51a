/**
 * Builds a C test driver from tests/native/ against shim sources, for the host, into
 * build/test/. The shim's code is freestanding but portable C; `renames` lets a test
 * link the shim's malloc & co. beside the host libc's (-Dmalloc=heap_malloc …).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { basename } from "node:path";

const OUT = "build/test";

/** `flags` go to every compile and the link (e.g. -fsanitize=address). */
export function buildNativeTest(driver: string, shimSources: readonly string[], renames: readonly string[] = [], flags: readonly string[] = []): string {
  mkdirSync(OUT, { recursive: true });
  const objects = shimSources.map((source) => {
    const object = `${OUT}/${basename(source, ".c")}.o`;
    execFileSync("gcc", ["-O2", "-Wall", ...flags, "-Ishim/include", ...renames.map((r) => `-D${r}`), "-c", source, "-o", object]);
    return object;
  });
  const binary = `${OUT}/${basename(driver, ".c")}`;
  execFileSync("gcc", ["-O2", ...flags, "-Ishim/include", driver, ...objects, "-o", binary]);
  return binary;
}
