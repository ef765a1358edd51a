/**
 * qjsc: running the host qjsc, the QuickJS compiler built from the same source as the guest's
 * engine (bytecode has no verifier and is exact to the version). One way to compile, shared by
 * the linked-in apps (bytecode.ts, C arrays) and app images (app_image_build.ts, raw bytes):
 *
 *   qjsc -c -m [-M skiff:NAME …] -N CNAME -o OUT.c MODULE      (cwd: the bundles' folder)
 *
 * MODULE is "kernel.js" or "apps/NAME.js" relative to that folder: it becomes the module's
 * name, which stack traces show. `-M skiff:NAME` tells qjsc such a module is provided at run
 * time (skiff:hal by the shim, the others by the kernel through defineModule).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The `skiff:*` modules a bundle imports (skiff:hal always): the kernel provides them at run time. */
export function nativeImports(file: string): string[] {
  const found = new Set(["skiff:hal"]);
  for (const match of readFileSync(file, "utf8").matchAll(/\b(?:from|import)\s*"(skiff:[a-z][a-z0-9_-]*)"/g)) found.add(match[1]!);
  return [...found];
}

/** Runs qjsc on `moduleName` (relative to jsDir) and returns the C text it wrote to workDir/CNAME.c. */
export function compileToC(qjsc: string, jsDir: string, moduleName: string, cName: string, workDir: string): string {
  const cFile = resolve(workDir, `${cName}.c`);
  const external = nativeImports(join(jsDir, moduleName)).flatMap((name) => ["-M", name]);
  execFileSync(resolve(qjsc), ["-c", "-m", ...external, "-N", cName, "-o", cFile, moduleName], { cwd: jsDir, stdio: "inherit" });
  return readFileSync(cFile, "utf8");
}

/** The bytes of the array `cName` in qjsc's C output. */
export function bytecodeFromC(cText: string, cName: string): Uint8Array {
  const array = new RegExp(`const uint8_t ${cName}\\[(\\d+)\\] = \\{([^}]*)\\};`).exec(cText);
  if (array === null) throw new Error(`Cannot find the bytecode array ${cName} in qjsc's output`);
  const words = array[2]!.split(",").map((word) => word.trim()).filter((word) => word !== "");
  if (words.length !== Number(array[1]) || !words.every((word) => /^0x[0-9a-f]{2}$/i.test(word))) {
    throw new Error(`Cannot read the bytecode array ${cName}: it declares ${array[1]} bytes and holds ${words.length} byte literals`);
  }
  return Uint8Array.from(words, (word) => Number(word));
}

/** Compiles `moduleName` as bytecode.ts does for the linked apps and returns the raw bytecode. */
export function compileToBytecode(qjsc: string, jsDir: string, moduleName: string, workDir: string): Uint8Array {
  const cName = "skiff_bc_image";
  return bytecodeFromC(compileToC(qjsc, jsDir, moduleName, cName, workDir), cName);
}

/** The QuickJS release qjsc was built from, e.g. "2025-04-26" (from its usage banner). */
export function qjscVersion(qjsc: string): string {
  const result = spawnSync(resolve(qjsc), ["-h"], { encoding: "utf8" });
  const match = /QuickJS Compiler version (\S+)/.exec(`${result.stdout ?? ""}${result.stderr ?? ""}`);
  if (match === null) throw new Error(`Cannot tell ${qjsc}'s QuickJS version: \`qjsc -h\` printed no "QuickJS Compiler version" line`);
  return match[1]!;
}
