/**
 * image_fs: a read-only file system over a static image — what /app is, the app's bundled
 * assets. Every call that would change it fails with EROFS, after the lookup: a missing
 * name is still ENOENT (EROFS when the call would create it), an existing one EEXIST for
 * mkdir.
 *
 * The image is a plain `ReadonlyMap<string, Uint8Array>` from absolute, normalised paths
 * ("/index.html", "/img/logo.png", relative to the mount point) to the files' bytes; every
 * directory on the way to a file exists implicitly, and `directories` names more (empty
 * ones). That is the whole contract for whoever feeds it, today an in-memory description
 * and later the boot image: the bytes are not copied, so they must not change afterwards.
 * A path that is not absolute and normalised, or a file whose path another file's
 * directory needs, is a programming error (TypeError/RangeError at construction).
 */

import type { FsResult } from "./errors.ts";
import type { DirEntry, FileSystem, NodeStats, OpenFile, OpenIntent } from "./file_system.ts";
import { resolvePath } from "./path.ts";

export interface ImageFsOptions {
  /** Names of directories to have even when no file lies in them (absolute paths). */
  readonly directories?: Iterable<string>;
  /** What stat says for every time, ms since the epoch; default 0 (the image has no clock). */
  readonly timeMs?: number;
}

const FILE_PERMISSIONS = 0o444;
const DIRECTORY_PERMISSIONS = 0o555;

interface ImageDirectory {
  readonly kind: "directory";
  readonly ino: number;
  readonly entries: Map<string, ImageNode>;
}

interface ImageFile {
  readonly kind: "file";
  readonly ino: number;
  readonly bytes: Uint8Array;
}

type ImageNode = ImageDirectory | ImageFile;

export class ImageFs implements FileSystem {
  readonly type = "imagefs";
  readonly readOnly = true;
  readonly #root: ImageDirectory;
  readonly #timeMs: number;
  #inodes = 1;

  constructor(files: ReadonlyMap<string, Uint8Array>, options: ImageFsOptions = {}) {
    this.#timeMs = options.timeMs ?? 0;
    this.#root = { kind: "directory", ino: this.#inodes++, entries: new Map() };
    for (const path of options.directories ?? []) this.#directory(componentsOf(path), path);
    for (const [path, bytes] of files) {
      if (!(bytes instanceof Uint8Array)) throw new TypeError(`Cannot build the image: ${path} is not a Uint8Array`);
      const components = componentsOf(path);
      const name = components.pop();
      if (name === undefined) throw new RangeError("Cannot build the image: '/' cannot be a file");
      const parent = this.#directory(components, path);
      if (parent.entries.has(name)) throw new RangeError(`Cannot build the image: ${path} is both a file and a directory`);
      parent.entries.set(name, { kind: "file", ino: this.#inodes++, bytes });
    }
  }

  stat(path: readonly string[]): FsResult<NodeStats> {
    const node = this.#lookup(path);
    return typeof node === "string" ? node : this.#stats(node);
  }

  open(path: readonly string[], intent: OpenIntent): FsResult<OpenFile> {
    const node = this.#lookup(path);
    if (node === "ENOENT" && intent.create) return this.#parentOf(path) ?? "EROFS";
    if (typeof node === "string") return node;
    if (intent.create && intent.exclusive) return "EEXIST";
    if (intent.write) return node.kind === "directory" ? "EISDIR" : "EROFS";
    const stats = this.#stats(node);
    if (node.kind === "directory") {
      return { kind: "directory", stat: () => stats, read: () => "EISDIR", write: () => "EISDIR", truncate: () => "EISDIR", close: () => {} };
    }
    const bytes = node.bytes;
    return {
      kind: "file",
      stat: () => stats,
      read: (position, into) => {
        if (position >= bytes.length) return 0;
        const count = Math.min(into.length, bytes.length - position);
        into.set(bytes.subarray(position, position + count));
        return count;
      },
      write: () => "EROFS",
      truncate: () => "EROFS",
      close: () => {},
    };
  }

  readdir(path: readonly string[]): FsResult<DirEntry[]> {
    const node = this.#lookup(path);
    if (typeof node === "string") return node;
    if (node.kind !== "directory") return "ENOTDIR";
    return [...node.entries].map(([name, entry]) => ({ name, kind: entry.kind })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  mkdir(path: readonly string[]): FsResult<void> {
    const node = this.#lookup(path);
    if (typeof node !== "string") return "EEXIST";
    return node === "ENOENT" ? this.#parentOf(path) ?? "EROFS" : node;
  }

  rmdir(path: readonly string[]): FsResult<void> {
    return this.#existing(path, (node) => (node.kind === "directory" ? "EROFS" : "ENOTDIR"));
  }

  unlink(path: readonly string[]): FsResult<void> {
    return this.#existing(path, (node) => (node.kind === "directory" ? "EISDIR" : "EROFS"));
  }

  rename(from: readonly string[]): FsResult<void> {
    return this.#existing(from, () => "EROFS");
  }

  chmod(path: readonly string[]): FsResult<void> {
    return this.#existing(path, () => "EROFS");
  }

  /** The lookup's failure, or what `refuse` says about the node that is there. */
  #existing(path: readonly string[], refuse: (node: ImageNode) => FsResult<void>): FsResult<void> {
    const node = this.#lookup(path);
    return typeof node === "string" ? node : refuse(node);
  }

  /** Why the parent of a missing `path` could not hold it, or undefined when it could. */
  #parentOf(path: readonly string[]): FsResult<void> {
    const parent = this.#lookup(path.slice(0, -1));
    if (typeof parent === "string") return parent;
    return parent.kind === "directory" ? undefined : "ENOTDIR";
  }

  #lookup(path: readonly string[]): FsResult<ImageNode> {
    let node: ImageNode = this.#root;
    for (const name of path) {
      if (node.kind !== "directory") return "ENOTDIR";
      const next: ImageNode | undefined = node.entries.get(name);
      if (next === undefined) return "ENOENT";
      node = next;
    }
    return node;
  }

  /** The directory at `components`, made (with its parents) when missing. */
  #directory(components: readonly string[], path: string): ImageDirectory {
    let directory = this.#root;
    for (const name of components) {
      let next = directory.entries.get(name);
      if (next === undefined) {
        next = { kind: "directory", ino: this.#inodes++, entries: new Map() };
        directory.entries.set(name, next);
      }
      if (next.kind !== "directory") throw new RangeError(`Cannot build the image: ${path} needs a directory where a file is`);
      directory = next;
    }
    return directory;
  }

  #stats(node: ImageNode): NodeStats {
    const directory = node.kind === "directory";
    const at = this.#timeMs;
    return {
      kind: node.kind, permissions: directory ? DIRECTORY_PERMISSIONS : FILE_PERMISSIONS, size: directory ? 4096 : node.bytes.length,
      ino: node.ino, nlink: directory ? 2 : 1, atimeMs: at, mtimeMs: at, ctimeMs: at, birthtimeMs: at,
    };
  }
}

/** The components of an image path, which must be absolute and already normalised. */
function componentsOf(path: string): string[] {
  if (typeof path !== "string") throw new TypeError("Cannot build the image: a path is not a string");
  const resolved = resolvePath(path);
  if (typeof resolved === "string" || !path.startsWith("/") || `/${resolved.components.join("/")}` !== (path === "/" ? "/" : path)) {
    throw new RangeError(`Cannot build the image: '${path}' is not an absolute, normalised path`);
  }
  return [...resolved.components];
}
