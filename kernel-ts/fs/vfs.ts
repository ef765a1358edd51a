/**
 * vfs: one tree over many file systems. It resolves the path an app names (path.ts),
 * routes it to the file system mounted there (mount_table.ts), applies the rules that are
 * no single file system's business, and turns a failure code into an FsError carrying the
 * syscall and the caller's own path, as Node reports it. Every call is synchronous; the
 * promise API apps use (api/) sits on top.
 *
 * Rules kept here:
 *   - mounts: a mount point cannot be removed or renamed (EBUSY); rename does not cross
 *     mounts (EXDEV); a mount needs an existing directory to sit on, except "/".
 *   - permissions: one user, the app, owns everything, and the owner bits of the mode are
 *     enforced — reading needs r, writing w, and creating, removing or renaming an entry
 *     needs w on its directory (EACCES). A change on a read-only file system is EROFS
 *     first. Search (x) permission on the directories along a path is not checked.
 *   - a path ending in "/" must name a directory (ENOTDIR; EISDIR when creating a file).
 *   - descriptors (handle_table.ts): a position each, append mode, EBADF, EMFILE.
 */

import { FsError, isFsCode, type FsCode, type FsResult } from "./errors.ts";
import type { DirEntry, FileSystem, NodeStats } from "./file_system.ts";
import { HandleTable, type Handle } from "./handle_table.ts";
import { MountTable, type Mount } from "./mount_table.ts";
import { resolvePath } from "./path.ts";

/** What open() asks for: Node's flag strings decode to this (api/arguments.ts). */
export interface OpenFlags {
  readonly read: boolean;
  readonly write: boolean;
  readonly append: boolean;
  readonly create: boolean;
  readonly exclusive: boolean;
  readonly truncate: boolean;
}

/** A node's stats, with the number of the mount it lives on. */
export interface VfsStats extends NodeStats {
  readonly dev: number;
}

/** access() modes, as in <unistd.h>. */
export const F_OK = 0;
export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;

const OWNER_READ = 0o400;
const OWNER_WRITE = 0o200;
const OWNER_EXECUTE = 0o100;
const DEFAULT_MAX_OPEN_FILES = 1024;

/** A path routed to its mount, with the caller's text for error messages. */
interface Located {
  readonly text: string;
  readonly mount: Mount;
  readonly rest: readonly string[];
  readonly mustBeDirectory: boolean;
}

export class Vfs {
  readonly #mounts = new MountTable();
  readonly #handles: HandleTable;

  constructor(options: { readonly maxOpenFiles?: number } = {}) {
    this.#handles = new HandleTable(options.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES);
  }

  /** Mounts `fs` at `path`, which must be "/" or an existing directory. */
  mount(path: string, fs: FileSystem): void {
    const resolved = resolvePath(path);
    if (typeof resolved === "string") throw new FsError(resolved, "mount", { path });
    if (resolved.components.length > 0) {
      const at = this.#locate(path, "mount");
      if (this.#must(this.#existing(at), "mount", at).kind !== "directory") this.#fail("ENOTDIR", "mount", at);
    }
    this.#mounts.add(resolved.components, fs);
  }

  /** The mount table in mount order: where each file system sits. */
  mounts(): { readonly path: string; readonly type: string }[] {
    return this.#mounts.list().map((mount) => ({ path: mount.path, type: mount.fs.type }));
  }

  get openFileCount(): number {
    return this.#handles.openCount;
  }

  stat(path: string, syscall = "stat"): VfsStats {
    const at = this.#locate(path, syscall);
    return { ...this.#must(this.#existing(at), syscall, at), dev: at.mount.dev };
  }

  readdir(path: string): DirEntry[] {
    const at = this.#locate(path, "scandir");
    const stats = this.#must(this.#existing(at), "scandir", at);
    if (stats.kind === "directory") this.#must(permitted(stats, OWNER_READ), "scandir", at);
    return this.#must(at.mount.fs.readdir(at.rest), "scandir", at);
  }

  mkdir(path: string, permissions: number): void {
    const at = this.#locate(path, "mkdir");
    const existing = this.#existing(at);
    if (typeof existing !== "string") this.#fail("EEXIST", "mkdir", at);
    if (existing !== "ENOENT") this.#fail(existing, "mkdir", at);
    this.#must(this.#mayChangeIn(at), "mkdir", at);
    this.#must(at.mount.fs.mkdir(at.rest, permissions), "mkdir", at);
  }

  rmdir(path: string): void {
    const at = this.#locate(path, "rmdir");
    if (at.rest.length === 0) this.#fail("EBUSY", "rmdir", at);
    this.#must(this.#existing(at), "rmdir", at);
    this.#must(this.#mayChangeIn(at), "rmdir", at);
    this.#must(at.mount.fs.rmdir(at.rest), "rmdir", at);
  }

  unlink(path: string): void {
    const at = this.#locate(path, "unlink");
    if (at.rest.length === 0) this.#fail("EISDIR", "unlink", at);
    const stats = this.#must(this.#existing(at), "unlink", at);
    if (stats.kind === "directory") this.#fail("EISDIR", "unlink", at);
    this.#must(this.#mayChangeIn(at), "unlink", at);
    this.#must(at.mount.fs.unlink(at.rest), "unlink", at);
  }

  rename(from: string, to: string): void {
    const source = this.#locate(from, "rename", to);
    const target = this.#locate(to, "rename", to, from);
    const fail = (code: FsCode): never => { throw new FsError(code, "rename", { path: from, dest: to }); };
    if (source.rest.length === 0 || target.rest.length === 0) fail("EBUSY");
    if (source.mount !== target.mount) fail("EXDEV");
    const moved = this.#existing(source);
    if (typeof moved === "string") return fail(moved);
    const replaced = this.#existing(target);
    if (replaced === "ENOTDIR" || (replaced === "ENOENT" && target.mustBeDirectory && moved.kind !== "directory")) fail("ENOTDIR");
    for (const code of [this.#mayChangeIn(source), this.#mayChangeIn(target)]) if (code !== undefined) fail(code);
    const result = source.mount.fs.rename(source.rest, target.rest);
    if (result !== undefined) fail(result);
  }

  chmod(path: string, permissions: number): void {
    const at = this.#locate(path, "chmod");
    this.#must(this.#existing(at), "chmod", at);
    if (at.mount.fs.readOnly) this.#fail("EROFS", "chmod", at);
    this.#must(at.mount.fs.chmod(at.rest, permissions), "chmod", at);
  }

  /** Fails unless the node exists and its owner bits allow every access in `mode`. */
  access(path: string, mode: number): void {
    const at = this.#locate(path, "access");
    const stats = this.#must(this.#existing(at), "access", at);
    if ((mode & W_OK) !== 0 && at.mount.fs.readOnly) this.#fail("EROFS", "access", at);
    const wanted = ((mode & R_OK) !== 0 ? OWNER_READ : 0) | ((mode & W_OK) !== 0 ? OWNER_WRITE : 0) | ((mode & X_OK) !== 0 ? OWNER_EXECUTE : 0);
    this.#must(permitted(stats, wanted), "access", at);
  }

  /** Opens `path` and returns its descriptor; `permissions` are a created file's mode. */
  open(path: string, flags: OpenFlags, permissions: number): number {
    const at = this.#locate(path, "open");
    const fs = at.mount.fs;
    const existing = this.#existing(at);
    if (typeof existing !== "string") {
      if (flags.create && flags.exclusive) this.#fail("EEXIST", "open", at);
      if (existing.kind === "directory" && flags.write) this.#fail("EISDIR", "open", at);
      if (flags.write && fs.readOnly) this.#fail("EROFS", "open", at);
      this.#must(permitted(existing, (flags.read ? OWNER_READ : 0) | (flags.write ? OWNER_WRITE : 0)), "open", at);
    } else if (existing === "ENOENT" && flags.create) {
      if (at.mustBeDirectory) this.#fail("EISDIR", "open", at);
      this.#must(this.#mayChangeIn(at), "open", at);
    } else {
      this.#fail(existing, "open", at);
    }
    if (this.#handles.full) this.#fail("EMFILE", "open", at);
    const intent = { read: flags.read, write: flags.write, create: flags.create, exclusive: flags.exclusive, truncate: flags.truncate, permissions };
    const file = this.#must(fs.open(at.rest, intent), "open", at);
    return this.#handles.add({ file, mount: at.mount, readable: flags.read, writable: flags.write, append: flags.append, position: 0 });
  }

  /** Reads into `into` at `position`, or at the handle's position (which then moves). */
  read(fd: number, into: Uint8Array, position: number | null): number {
    const handle = this.#handle(fd, "read");
    if (!handle.readable) throw new FsError("EBADF", "read");
    const count = handleResult(handle.file.read(position ?? handle.position, into), "read");
    if (position === null) handle.position += count;
    return count;
  }

  /** Writes all of `bytes` at `position`, at the handle's position, or at the end in append mode. */
  write(fd: number, bytes: Uint8Array, position: number | null): number {
    const handle = this.#handle(fd, "write");
    if (!handle.writable) throw new FsError("EBADF", "write");
    const at = handle.append ? handle.file.stat().size : position ?? handle.position;
    const count = handleResult(handle.file.write(at, bytes), "write");
    if (handle.append || position === null) handle.position = at + count;
    return count;
  }

  fstat(fd: number): VfsStats {
    const handle = this.#handle(fd, "fstat");
    return { ...handle.file.stat(), dev: handle.mount.dev };
  }

  ftruncate(fd: number, length: number): void {
    const handle = this.#handle(fd, "ftruncate");
    if (!handle.writable) throw new FsError("EINVAL", "ftruncate");
    handleResult(handle.file.truncate(length), "ftruncate");
  }

  close(fd: number): void {
    const handle = this.#handles.remove(fd);
    if (handle === undefined) throw new FsError("EBADF", "close");
    handle.file.close();
  }

  #handle(fd: number, syscall: string): Handle {
    const handle = this.#handles.get(fd);
    if (handle === undefined) throw new FsError("EBADF", syscall);
    return handle;
  }

  /** Routes `text`; a path that names nothing fails here (ENOENT, ENAMETOOLONG). */
  #locate(text: string, syscall: string, dest?: string, source?: string): Located {
    const resolved = resolvePath(text);
    const routed = typeof resolved === "string" ? undefined : this.#mounts.route(resolved.components);
    if (typeof resolved === "string" || routed === undefined) {
      const code = typeof resolved === "string" ? resolved : "ENOENT";
      throw source === undefined ? new FsError(code, syscall, { path: text, dest }) : new FsError(code, syscall, { path: source, dest: text });
    }
    return { text, mount: routed.mount, rest: routed.rest, mustBeDirectory: resolved.mustBeDirectory };
  }

  /** The stats of what `at` names, or why nothing fits (ENOTDIR for "file/"). */
  #existing(at: Located): FsResult<NodeStats> {
    const stats = at.mount.fs.stat(at.rest);
    if (typeof stats !== "string" && at.mustBeDirectory && stats.kind !== "directory") return "ENOTDIR";
    return stats;
  }

  /** Whether an entry may be added to or removed from the directory holding `at`. */
  #mayChangeIn(at: Located): FsResult<void> {
    const parent = at.mount.fs.stat(at.rest.slice(0, -1));
    if (typeof parent === "string" || parent.kind !== "directory") return undefined; // the file system reports it
    return at.mount.fs.readOnly ? "EROFS" : permitted(parent, OWNER_WRITE);
  }

  #must<T>(result: FsResult<T>, syscall: string, at: Located): T {
    if (isFsCode(result)) this.#fail(result, syscall, at);
    return result;
  }

  #fail(code: FsCode, syscall: string, at: Located): never {
    throw new FsError(code, syscall, { path: at.text });
  }
}

/** EACCES unless the owner bits grant every bit of `wanted`. */
function permitted(stats: NodeStats, wanted: number): FsResult<void> {
  return (stats.permissions & wanted) === wanted ? undefined : "EACCES";
}

function handleResult<T>(result: FsResult<T>, syscall: string): T {
  if (isFsCode(result)) throw new FsError(result, syscall);
  return result;
}
