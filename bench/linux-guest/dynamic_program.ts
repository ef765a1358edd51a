/**
 * A dynamically linked host program for the Linux baseline guest's initramfs: the binary at
 * bin/NAME, every shared library `ldd` lists at the path ldd resolved it to (its bytes, so
 * a soname symlink becomes a file), and the dynamic loader at its ELF interpreter path
 * (/lib64/ld-linux-x86-64.so.2). The guest and host are both x86-64 glibc, so the host's
 * Debian binaries run unchanged:
 *   prepareLinuxGuest({ modules, run: "node /srv/server.js", files: dynamicProgramFiles(process.execPath, "node") })
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

export interface InitramfsFile {
  readonly path: string;
  readonly data: Uint8Array;
  readonly mode?: number;
}

/** `ldd`'s absolute paths: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and the loader line "/lib64/ld-linux-x86-64.so.2 (0x…)". */
function sharedObjects(binary: string): string[] {
  const out = execFileSync("ldd", [binary], { encoding: "utf8" });
  const found = new Set<string>();
  for (const line of out.split("\n")) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line.trim());
    if (match !== null) found.add(match[1]!);
    else if (/not found/.test(line)) throw new Error(`Cannot copy ${binary} into the initramfs: ldd says ${line.trim()}`);
  }
  if (found.size === 0) throw new Error(`Cannot copy ${binary} into the initramfs: ldd lists no shared objects (static? use programs)`);
  return [...found];
}

/** The binary (as bin/NAME, mode 755), its libraries and loader, ready for prepareLinuxGuest's `files`. */
export function dynamicProgramFiles(binary: string, name: string): InitramfsFile[] {
  const real = fs.realpathSync(binary);
  return [
    { path: `bin/${name}`, data: fs.readFileSync(real), mode: 0o755 },
    ...sharedObjects(real).map((file) => ({ path: file.slice(1), data: fs.readFileSync(fs.realpathSync(file)), mode: 0o755 })),
  ];
}
