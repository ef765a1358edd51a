/**
 * Builds bench/net/linux_server.c as a static x86-64 executable for the Linux baseline
 * guest's initramfs, cached under build/linux-guest/ by the hash of the source and flags.
 * Linked against musl (Debian's musl-dev, through its gcc specs file), which the shim's build
 * already needs, so it adds no dependency; the binary is about 30 KB.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import { linuxGuestDir } from "../linux-guest/mod.ts";

const source = path.join(paths.repoRoot, "bench", "net", "linux_server.c");
const flags = ["-specs", "/usr/lib/x86_64-linux-musl/musl-gcc.specs", "-static", "-O2", "-Wall", "-Wextra", "-Werror"];

/** The executable's bytes (built on first use). */
export function linuxServerProgram(): Uint8Array {
  const text = fs.readFileSync(source);
  const hash = createHash("sha256").update(flags.join(" ")).update(text).digest("hex").slice(0, 12);
  const file = path.join(linuxGuestDir, `linux-server-${hash}`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(linuxGuestDir, { recursive: true });
    execFileSync("gcc", [...flags, "-o", `${file}.tmp`, source], { stdio: ["ignore", "inherit", "inherit"] });
    execFileSync("strip", [`${file}.tmp`]);
    fs.renameSync(`${file}.tmp`, file);
  }
  return fs.readFileSync(file);
}
