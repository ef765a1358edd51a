/**
 * stats: Node's Stats and Dirent, as stat() and readdir({ withFileTypes: true }) return
 * them: the same fields (mode with its S_IF* type bits, size, times as ms and as Dates…)
 * and the same is*() predicates. One user owns everything, so uid and gid are 0.
 */

import type { DirEntry, NodeKind } from "../file_system.ts";
import type { VfsStats } from "../vfs.ts";

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;

const TYPE_BITS: Readonly<Record<NodeKind, number>> = { file: S_IFREG, directory: S_IFDIR, device: S_IFCHR };
const BLOCK_SIZE = 4096;

export class Stats {
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly uid = 0;
  readonly gid = 0;
  readonly rdev = 0;
  readonly size: number;
  readonly blksize = BLOCK_SIZE;
  readonly blocks: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly birthtimeMs: number;
  readonly atime: Date;
  readonly mtime: Date;
  readonly ctime: Date;
  readonly birthtime: Date;

  constructor(stats: VfsStats) {
    this.dev = stats.dev;
    this.ino = stats.ino;
    this.mode = TYPE_BITS[stats.kind] | stats.permissions;
    this.nlink = stats.nlink;
    this.size = stats.size;
    this.blocks = Math.ceil(stats.size / 512);
    this.atimeMs = stats.atimeMs;
    this.mtimeMs = stats.mtimeMs;
    this.ctimeMs = stats.ctimeMs;
    this.birthtimeMs = stats.birthtimeMs;
    this.atime = new Date(stats.atimeMs);
    this.mtime = new Date(stats.mtimeMs);
    this.ctime = new Date(stats.ctimeMs);
    this.birthtime = new Date(stats.birthtimeMs);
  }

  isFile(): boolean { return (this.mode & S_IFMT) === S_IFREG; }
  isDirectory(): boolean { return (this.mode & S_IFMT) === S_IFDIR; }
  isCharacterDevice(): boolean { return (this.mode & S_IFMT) === S_IFCHR; }
  isBlockDevice(): boolean { return false; }
  isSymbolicLink(): boolean { return false; }
  isFIFO(): boolean { return false; }
  isSocket(): boolean { return false; }
}

export class Dirent {
  readonly name: string;
  /** The directory the entry is in, as the caller named it. */
  readonly parentPath: string;
  /** The same as parentPath (Node's older name for it). */
  readonly path: string;
  readonly #kind: NodeKind;

  constructor(entry: DirEntry, parentPath: string) {
    this.name = entry.name;
    this.parentPath = this.path = parentPath;
    this.#kind = entry.kind;
  }

  isFile(): boolean { return this.#kind === "file"; }
  isDirectory(): boolean { return this.#kind === "directory"; }
  isCharacterDevice(): boolean { return this.#kind === "device"; }
  isBlockDevice(): boolean { return false; }
  isSymbolicLink(): boolean { return false; }
  isFIFO(): boolean { return false; }
  isSocket(): boolean { return false; }
}
