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

/**
 * The bytes of the array `cName` in qjsc's C output: "0xHH" literals between commas and white
 * space, read with one pass over the characters (a kernel module's megabyte of C text took
 * ~100 ms with split and a regex per word: most of a hot reload's rebuild).
 */
export function bytecodeFromC(cText: string, cName: string): Uint8Array {
  const head = new RegExp(`const uint8_t ${cName}\\[(\\d+)\\] = \\{`).exec(cText);
  const end = head === null ? -1 : cText.indexOf("};", head.index);
  if (head === null || end < 0) throw new Error(`Cannot find the bytecode array ${cName} in qjsc's output`);
  const declared = Number(head[1]);
  const bytes = new Uint8Array(declared);
  let count = 0;
  const bad = (at: number): Error => new Error(`Cannot read the bytecode array ${cName}: ${JSON.stringify(cText.slice(at, at + 12))} at offset ${at} is not a byte literal`);
  for (let i = head.index + head[0].length; i < end;) {
    const c = cText.charCodeAt(i);
    if (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) { i++; continue; } // , and white space
    if (c !== 0x30 || (cText.charCodeAt(i + 1) | 0x20) !== 0x78) throw bad(i); // "0x"
    const high = hexDigit(cText.charCodeAt(i + 2));
    const low = hexDigit(cText.charCodeAt(i + 3));
    const next = cText.charCodeAt(i + 4);
    if (high < 0 || low < 0 || !(next === 0x2c || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09 || i + 4 === end)) throw bad(i);
    if (count === declared) throw new Error(`Cannot read the bytecode array ${cName}: it declares ${declared} bytes and holds more byte literals`);
    bytes[count++] = high * 16 + low;
    i += 4;
  }
  if (count !== declared) throw new Error(`Cannot read the bytecode array ${cName}: it declares ${declared} bytes and holds ${count} byte literals`);
  return bytes;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
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
