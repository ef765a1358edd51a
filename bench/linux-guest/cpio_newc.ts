/**
 * Writes a cpio archive in the "newc" format (the one the Linux kernel unpacks as an
 * initramfs; see the kernel's Documentation/driver-api/early-userspace/buffer-format.rst).
 * Written here because Debian's base system has no cpio binary and the guest needs only a
 * handful of entries: directories, regular files, symlinks and device nodes.
 */

export type CpioEntry =
  | { readonly kind: "dir"; readonly path: string; readonly mode?: number }
  | { readonly kind: "file"; readonly path: string; readonly data: Uint8Array; readonly mode?: number }
  | { readonly kind: "symlink"; readonly path: string; readonly target: string }
  | { readonly kind: "char"; readonly path: string; readonly major: number; readonly minor: number; readonly mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const hex8 = (value: number): string => value.toString(16).padStart(8, "0");
const pad4 = (length: number): number => (4 - (length % 4)) % 4;

function record(ino: number, mode: number, name: string, data: Uint8Array, rdevMajor = 0, rdevMinor = 0): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, "utf8");
  const header =
    "070701" +
    [ino, mode, 0, 0, 1, 0, data.length, 0, 0, rdevMajor, rdevMinor, nameBytes.length, 0].map(hex8).join("");
  return Buffer.concat([
    Buffer.from(header, "ascii"),
    nameBytes,
    Buffer.alloc(pad4(header.length + nameBytes.length)),
    data,
    Buffer.alloc(pad4(data.length)),
  ]);
}

/** Entry paths are relative to the archive root ("init", "bin/busybox"); parents first. */
export function cpioNewc(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const entry of entries) {
    switch (entry.kind) {
      case "dir":
        parts.push(record(ino++, S_IFDIR | (entry.mode ?? 0o755), entry.path, new Uint8Array()));
        break;
      case "file":
        parts.push(record(ino++, S_IFREG | (entry.mode ?? 0o644), entry.path, entry.data));
        break;
      case "symlink":
        parts.push(record(ino++, S_IFLNK | 0o777, entry.path, Buffer.from(entry.target, "utf8")));
        break;
      case "char":
        parts.push(record(ino++, S_IFCHR | (entry.mode ?? 0o600), entry.path, new Uint8Array(), entry.major, entry.minor));
        break;
    }
  }
  parts.push(record(0, 0, "TRAILER!!!", new Uint8Array()));
  return Buffer.concat(parts);
}
