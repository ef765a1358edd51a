/**
 * ramfs: directories and files in memory, within a budget of bytes and nodes (ENOSPC past
 * either). What /tmp is. Nothing survives a reboot.
 *
 * rename follows POSIX rename(2): a file may replace a file, a directory may replace an
 * empty directory, a directory cannot move under itself (EINVAL), and renaming a node onto
 * itself does nothing.
 */

import type { FsCode, FsResult } from "../errors.ts";
import type { DirEntry, FileSystem, NodeStats, OpenFile, OpenIntent } from "../file_system.ts";
import { Budget } from "./budget.ts";
import { RamDirectory, RamFile, type RamContext, type RamEntry } from "./ram_node.ts";

export interface RamfsOptions {
  /** Bytes of file data the file system may hold. */
  readonly maxBytes: number;
  /** Files and directories it may hold, its root included; default 65536. */
  readonly maxNodes?: number;
  /** The wall clock, ms since the epoch, for the times in stat. */
  readonly nowMs: () => number;
}

const DEFAULT_MAX_NODES = 65536;
const ROOT_PERMISSIONS = 0o1777; // like /tmp: everyone may create, the sticky bit set

export class Ramfs implements FileSystem {
  readonly type = "ramfs";
  readonly readOnly = false;
  readonly budget: Budget;
  readonly #root: RamDirectory;
  readonly #context: RamContext;

  constructor(options: RamfsOptions) {
    this.budget = new Budget(options.maxBytes, options.maxNodes ?? DEFAULT_MAX_NODES);
    let ino = 0;
    this.#context = { budget: this.budget, nowMs: options.nowMs, nextIno: () => ++ino };
    this.budget.takeNode();
    this.#root = new RamDirectory(this.#context, ROOT_PERMISSIONS);
  }

  stat(path: readonly string[]): FsResult<NodeStats> {
    const node = this.#lookup(path);
    return typeof node === "string" ? node : node.stat();
  }

  open(path: readonly string[], intent: OpenIntent): FsResult<OpenFile> {
    let node = this.#lookup(path);
    if (node === "ENOENT" && intent.create) {
      const parent = this.#parent(path);
      if (typeof parent === "string") return parent;
      if (!this.budget.takeNode()) return "ENOSPC";
      node = new RamFile(this.#context, intent.permissions);
      parent.directory.entries.set(parent.name, node);
      parent.directory.touchModified();
    } else if (typeof node === "string") {
      return node;
    } else if (intent.create && intent.exclusive) {
      return "EEXIST";
    }
    if (node.kind === "directory") return intent.write ? "EISDIR" : openDirectory(node);
    if (intent.write && intent.truncate && node.size > 0) node.truncate(0);
    return openFile(node);
  }

  readdir(path: readonly string[]): FsResult<DirEntry[]> {
    const node = this.#lookup(path);
    if (typeof node === "string") return node;
    if (node.kind !== "directory") return "ENOTDIR";
    node.atimeMs = this.#context.nowMs();
    return [...node.entries].map(([name, entry]) => ({ name, kind: entry.kind })).sort(byName);
  }

  mkdir(path: readonly string[], permissions: number): FsResult<void> {
    const parent = this.#parent(path);
    if (typeof parent === "string") return parent;
    if (parent.directory.entries.has(parent.name)) return "EEXIST";
    if (!this.budget.takeNode()) return "ENOSPC";
    parent.directory.entries.set(parent.name, new RamDirectory(this.#context, permissions));
    parent.directory.touchModified();
    return undefined;
  }

  rmdir(path: readonly string[]): FsResult<void> {
    if (path.length === 0) return "EBUSY";
    const parent = this.#parent(path);
    if (typeof parent === "string") return parent;
    const node = parent.directory.entries.get(parent.name);
    if (node === undefined) return "ENOENT";
    if (node.kind !== "directory") return "ENOTDIR";
    if (node.entries.size > 0) return "ENOTEMPTY";
    parent.directory.entries.delete(parent.name);
    parent.directory.touchModified();
    this.budget.giveNode();
    return undefined;
  }

  unlink(path: readonly string[]): FsResult<void> {
    if (path.length === 0) return "EISDIR";
    const parent = this.#parent(path);
    if (typeof parent === "string") return parent;
    const node = parent.directory.entries.get(parent.name);
    if (node === undefined) return "ENOENT";
    if (node.kind === "directory") return "EISDIR";
    parent.directory.entries.delete(parent.name);
    parent.directory.touchModified();
    node.nlink = 0;
    node.touchChanged();
    node.releaseIfUnused();
    return undefined;
  }

  rename(from: readonly string[], to: readonly string[]): FsResult<void> {
    if (from.length === 0 || to.length === 0) return "EBUSY";
    const source = this.#parent(from);
    if (typeof source === "string") return source;
    const node = source.directory.entries.get(source.name);
    if (node === undefined) return "ENOENT";
    if (isInside(to, from)) return "EINVAL";
    const target = this.#parent(to);
    if (typeof target === "string") return target;
    const replaced = target.directory.entries.get(target.name);
    if (replaced === node) return undefined;
    if (replaced !== undefined) {
      const refused = replaceRefusal(node, replaced);
      if (refused !== undefined) return refused;
    }
    source.directory.entries.delete(source.name);
    target.directory.entries.set(target.name, node);
    source.directory.touchModified();
    target.directory.touchModified();
    node.touchChanged();
    if (replaced?.kind === "file") {
      replaced.nlink = 0;
      replaced.releaseIfUnused();
    } else if (replaced !== undefined) {
      this.budget.giveNode();
    }
    return undefined;
  }

  chmod(path: readonly string[], permissions: number): FsResult<void> {
    const node = this.#lookup(path);
    if (typeof node === "string") return node;
    node.permissions = permissions;
    node.touchChanged();
    return undefined;
  }

  /** The node at `path`: ENOENT when a name is missing, ENOTDIR when a file sits on the way. */
  #lookup(path: readonly string[]): FsResult<RamEntry> {
    let node: RamEntry = this.#root;
    for (const name of path) {
      if (node.kind !== "directory") return "ENOTDIR";
      const next: RamEntry | undefined = node.entries.get(name);
      if (next === undefined) return "ENOENT";
      node = next;
    }
    return node;
  }

  /** The directory that holds (or would hold) the last component of `path`. */
  #parent(path: readonly string[]): FsResult<{ directory: RamDirectory; name: string }> {
    const name = path[path.length - 1];
    if (name === undefined) return "EEXIST"; // the root: it exists and has no parent here
    const directory = this.#lookup(path.slice(0, -1));
    if (typeof directory === "string") return directory;
    if (directory.kind !== "directory") return "ENOTDIR";
    return { directory, name };
  }
}

function byName(a: DirEntry, b: DirEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `inner` is `outer` or lies under it. */
function isInside(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.length > outer.length && outer.every((name, i) => inner[i] === name);
}

/** Why `node` may not replace `replaced` (rename(2)), or undefined when it may. */
function replaceRefusal(node: RamEntry, replaced: RamEntry): FsCode | undefined {
  if (node.kind === "directory" && replaced.kind !== "directory") return "ENOTDIR";
  if (node.kind !== "directory" && replaced.kind === "directory") return "EISDIR";
  if (replaced.kind === "directory" && replaced.entries.size > 0) return "ENOTEMPTY";
  return undefined;
}

function openFile(file: RamFile): OpenFile {
  file.openCount += 1;
  return {
    kind: "file",
    stat: () => file.stat(),
    read: (position, into) => file.read(position, into),
    write: (position, bytes) => file.write(position, bytes),
    truncate: (length) => file.truncate(length),
    close: () => {
      file.openCount -= 1;
      file.releaseIfUnused();
    },
  };
}

function openDirectory(directory: RamDirectory): OpenFile {
  return {
    kind: "directory",
    stat: () => directory.stat(),
    read: () => "EISDIR",
    write: () => "EISDIR",
    truncate: () => "EISDIR",
    close: () => {},
  };
}
