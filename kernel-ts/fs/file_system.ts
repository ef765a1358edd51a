/**
 * file_system: the one small interface every file system behind the VFS implements
 * (ramfs, devfs, the read-only image), and the plain records it speaks in.
 *
 * Paths arrive as components relative to the file system's own root, already normalised
 * (path.ts) and never crossing a mount point: the VFS has routed them. Every operation is
 * synchronous (the file systems hold memory only) and reports failure as a value, the
 * FsCode, never by throwing; the VFS adds the syscall and the caller's path. Permission
 * bits (EACCES) and mount rules (EBUSY, EXDEV) are the VFS's job; lookup failures
 * (ENOENT, ENOTDIR), shape rules (EISDIR, ENOTEMPTY, EINVAL) and storage limits (EROFS,
 * ENOSPC) are the file system's.
 *
 * An OpenFile is the object itself, not a name for it: it keeps working after the name is
 * unlinked or renamed, as POSIX file descriptions do. Positions belong to the VFS's
 * handles; an OpenFile reads and writes at the position it is given.
 */

import type { FsResult } from "./errors.ts";

export type NodeKind = "file" | "directory" | "device";

export interface NodeStats {
  readonly kind: NodeKind;
  /** The permission bits, 0o7777 at most; the VFS adds the S_IF* type bits. */
  readonly permissions: number;
  /** Bytes of a file; 0 for a device; entries for a directory is not promised. */
  readonly size: number;
  /** Unique within the file system for as long as the node lives. */
  readonly ino: number;
  readonly nlink: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly birthtimeMs: number;
}

export interface DirEntry {
  readonly name: string;
  readonly kind: NodeKind;
}

/** What open() is asked for (decoded from Node's flag strings by the VFS). */
export interface OpenIntent {
  readonly read: boolean;
  readonly write: boolean;
  /** Create the file when the name is free (O_CREAT), with `permissions`. */
  readonly create: boolean;
  /** With create: fail with EEXIST when the name is taken (O_EXCL). */
  readonly exclusive: boolean;
  /** Cut a regular file to 0 bytes when opened for writing (O_TRUNC). */
  readonly truncate: boolean;
  readonly permissions: number;
}

export interface OpenFile {
  readonly kind: NodeKind;
  stat(): NodeStats;
  /** Reads into `into` from byte `position`; the count read, 0 at the end of the file. */
  read(position: number, into: Uint8Array): FsResult<number>;
  /** Writes all of `bytes` at `position` (or fails with nothing written); the count. */
  write(position: number, bytes: Uint8Array): FsResult<number>;
  /** Sets a regular file's size to `length`, cutting or padding with zeros. */
  truncate(length: number): FsResult<void>;
  /** The VFS's last handle on it closed; a file unlinked meanwhile may now let its bytes go. */
  close(): void;
}

export interface FileSystem {
  /** "ramfs", "devfs", "imagefs": what the mount table lists. */
  readonly type: string;
  /** Nothing in it can change: the VFS answers EROFS before looking at permission bits. */
  readonly readOnly: boolean;
  stat(path: readonly string[]): FsResult<NodeStats>;
  open(path: readonly string[], intent: OpenIntent): FsResult<OpenFile>;
  /** The entries of a directory, sorted by name, without "." and "..". */
  readdir(path: readonly string[]): FsResult<DirEntry[]>;
  mkdir(path: readonly string[], permissions: number): FsResult<void>;
  rmdir(path: readonly string[]): FsResult<void>;
  unlink(path: readonly string[]): FsResult<void>;
  /** POSIX rename(2) within this file system: replaces a compatible target atomically. */
  rename(from: readonly string[], to: readonly string[]): FsResult<void>;
  chmod(path: readonly string[], permissions: number): FsResult<void>;
}
