/**
 * handle_table: the VFS's open files, by descriptor number. A handle is one open(): the
 * file, what it was opened for, and its position, which reads and writes without an
 * explicit position move. Numbers start at 3 (0–2 are stdin, stdout and stderr by habit)
 * and the lowest free one is reused, as POSIX hands out descriptors; at most `limit` are
 * open at once (EMFILE past that).
 */

import type { OpenFile } from "./file_system.ts";
import type { Mount } from "./mount_table.ts";

const FIRST_DESCRIPTOR = 3;

export interface Handle {
  readonly file: OpenFile;
  readonly mount: Mount;
  readonly readable: boolean;
  readonly writable: boolean;
  /** Every write goes to the end of the file (O_APPEND). */
  readonly append: boolean;
  position: number;
}

export class HandleTable {
  readonly #handles = new Map<number, Handle>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Cannot make a handle table for ${limit} open files: not a positive integer`);
  }

  get openCount(): number {
    return this.#handles.size;
  }

  get full(): boolean {
    return this.#handles.size >= this.limit;
  }

  /** Stores `handle` under the lowest free number; the caller checked `full`. */
  add(handle: Handle): number {
    let fd = FIRST_DESCRIPTOR;
    while (this.#handles.has(fd)) fd += 1;
    this.#handles.set(fd, handle);
    return fd;
  }

  get(fd: number): Handle | undefined {
    return this.#handles.get(fd);
  }

  /** Removes and returns the handle, or undefined when `fd` is not open. */
  remove(fd: number): Handle | undefined {
    const handle = this.#handles.get(fd);
    this.#handles.delete(fd);
    return handle;
  }
}
