/**
 * whole_file: reading an open file to its end and writing a whole buffer, shared by
 * readFile/writeFile and their FileHandle twins. Both start at the handle's position, as
 * Node's do.
 *
 * A regular file's size is known, so its bytes are read into a buffer of exactly that
 * size; a device's is not, and reading one stops at DEVICE_READ_LIMIT (FileTooLarge), so
 * that readFile('/dev/zero') fails instead of filling memory.
 */

import { assert } from "../../assert.ts";
import type { Vfs } from "../vfs.ts";
import { FileTooLarge } from "./argument_errors.ts";

const CHUNK = 8192;
export const FILE_READ_LIMIT = 2 ** 31 - 1;
export const DEVICE_READ_LIMIT = 1 << 20;

/** The bytes from the handle's position to the end of the file. */
export function readToEnd(vfs: Vfs, fd: number, what: string): Uint8Array {
  const stats = vfs.fstat(fd);
  const limit = stats.kind === "device" ? DEVICE_READ_LIMIT : FILE_READ_LIMIT;
  let buffer = new Uint8Array(stats.kind === "file" ? stats.size : CHUNK);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      // Full: one more read says whether the end is here (the usual case for a file).
      const probe = new Uint8Array(CHUNK);
      const count = vfs.read(fd, probe, null);
      if (count === 0) return buffer;
      if (length + count > limit) throw new FileTooLarge(what, limit);
      const grown = new Uint8Array(Math.min(limit, Math.max(length * 2, length + count)));
      grown.set(buffer);
      grown.set(probe.subarray(0, count), length);
      buffer = grown;
      length += count;
      continue;
    }
    const count = vfs.read(fd, buffer.subarray(length), null);
    if (count === 0) return buffer.slice(0, length);
    length += count;
  }
}

/** Writes all of `bytes` at the handle's position (the end, in append mode). */
export function writeAll(vfs: Vfs, fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    const count = vfs.write(fd, bytes.subarray(written), null);
    assert(count > 0, "a VFS write of a non-empty buffer wrote nothing and did not fail");
    written += count;
  }
}
