/**
 * ram_node: the two kinds of ramfs node. A RamDirectory maps names to nodes; a RamFile
 * holds its bytes in one buffer that grows by doubling (within the budget) and keeps its
 * data, and its share of the budget, while it has a name (nlink > 0) or an open handle,
 * as tmpfs does: an unlinked file that is still open can be read and written.
 *
 * Every change stamps the times POSIX asks for: a write or truncate sets mtime and ctime,
 * a read sets atime, a chmod or rename sets ctime. The clock is passed in.
 */

import type { FsResult } from "../errors.ts";
import type { NodeStats } from "../file_system.ts";
import type { Budget } from "./budget.ts";

/** Who a node asks for time and bytes. */
export interface RamContext {
  readonly budget: Budget;
  readonly nowMs: () => number;
  nextIno(): number;
}

abstract class RamNode {
  readonly ino: number;
  permissions: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  readonly birthtimeMs: number;

  constructor(protected readonly context: RamContext, permissions: number) {
    this.ino = context.nextIno();
    this.permissions = permissions;
    const now = context.nowMs();
    this.atimeMs = this.mtimeMs = this.ctimeMs = this.birthtimeMs = now;
  }

  /** The contents changed. */
  touchModified(): void {
    this.mtimeMs = this.ctimeMs = this.context.nowMs();
  }

  /** Only the node's metadata changed (chmod, rename). */
  touchChanged(): void {
    this.ctimeMs = this.context.nowMs();
  }
}

export class RamDirectory extends RamNode {
  readonly kind = "directory" as const;
  readonly entries = new Map<string, RamEntry>();

  stat(): NodeStats {
    let subdirectories = 0;
    for (const entry of this.entries.values()) if (entry.kind === "directory") subdirectories += 1;
    return {
      kind: this.kind, permissions: this.permissions, size: 4096, ino: this.ino, nlink: 2 + subdirectories,
      atimeMs: this.atimeMs, mtimeMs: this.mtimeMs, ctimeMs: this.ctimeMs, birthtimeMs: this.birthtimeMs,
    };
  }
}

export type RamEntry = RamDirectory | RamFile;

export class RamFile extends RamNode {
  readonly kind = "file" as const;
  #data = new Uint8Array(0);
  #size = 0;
  /** Names the file has: 1 while linked in a directory, 0 after unlink. */
  nlink = 1;
  /** Open handles; the bytes go back to the budget when this and nlink are both 0. */
  openCount = 0;

  get size(): number { return this.#size; }

  stat(): NodeStats {
    return {
      kind: this.kind, permissions: this.permissions, size: this.#size, ino: this.ino, nlink: this.nlink,
      atimeMs: this.atimeMs, mtimeMs: this.mtimeMs, ctimeMs: this.ctimeMs, birthtimeMs: this.birthtimeMs,
    };
  }

  read(position: number, into: Uint8Array): number {
    this.atimeMs = this.context.nowMs();
    if (position >= this.#size) return 0;
    const count = Math.min(into.length, this.#size - position);
    into.set(this.#data.subarray(position, position + count));
    return count;
  }

  /** Writes all of `bytes` at `position`, zero-filling any gap after the old end. */
  write(position: number, bytes: Uint8Array): FsResult<number> {
    const end = position + bytes.length;
    if (end > this.#size && this.#resize(end) !== undefined) return "ENOSPC";
    this.#data.set(bytes, position);
    this.touchModified();
    return bytes.length;
  }

  truncate(length: number): FsResult<void> {
    if (this.#resize(length) !== undefined) return "ENOSPC";
    this.touchModified();
    return undefined;
  }

  /** Drops the file's bytes when nothing names or holds it any more. */
  releaseIfUnused(): void {
    if (this.nlink > 0 || this.openCount > 0) return;
    this.context.budget.giveBytes(this.#size);
    this.context.budget.giveNode();
    this.#size = 0;
    this.#data = new Uint8Array(0);
  }

  /** Sets the size, taking or giving back budget; the bytes past a shrink read as zeros later. */
  #resize(size: number): FsResult<void> {
    const budget = this.context.budget;
    if (size > this.#size) {
      if (!budget.takeBytes(size - this.#size)) return "ENOSPC";
      if (size > this.#data.length) {
        // Double, but never past what the budget could ever let this file reach.
        const capacity = Math.max(size, Math.min(this.#data.length * 2, size + budget.bytesFree));
        const grown = new Uint8Array(capacity);
        grown.set(this.#data.subarray(0, this.#size));
        this.#data = grown;
      }
    } else {
      budget.giveBytes(this.#size - size);
      this.#data.fill(0, size, this.#size);
    }
    this.#size = size;
    return undefined;
  }
}
