/**
 * fs_promises: what apps import as `skiff:fs`, and as `node:fs/promises` (the bundler maps
 * that name here): the subset of Node's fs/promises that programs use most, over the VFS.
 *
 *   const text = await readFile("/app/config.json", "utf8");
 *   await writeFile("/tmp/out.txt", text, { flag: "wx" });
 *   for (const entry of await readdir("/tmp", { withFileTypes: true })) entry.isFile();
 *   const handle = await open("/tmp/log", "a"); await handle.write("line\n"); await handle.close();
 *
 * The calls behave as Node's do on Linux, errors included (FsError with code, syscall and
 * path; see ../errors.ts), except: bytes are Uint8Array, not Buffer; the only text
 * encoding is utf8; there are no symbolic links, watchers, streams or ownership. The VFS
 * works synchronously on memory; each call still returns a promise, as Node's do.
 */

import { FsError, RmIsDirectory } from "../errors.ts";
import { joinComponents, resolvePath } from "../path.ts";
import { F_OK, R_OK, W_OK, X_OK, type Vfs } from "../vfs.ts";
import { describe, InvalidArgument } from "./argument_errors.ts";
import {
  dataArgument, encodingArgument, fileOptions, flagsArgument, integerArgument, modeArgument, O_APPEND, O_CREAT, O_EXCL, O_RDONLY,
  O_RDWR, O_TRUNC, O_WRONLY, pathArgument, permissionsArgument, type FileOptions, type PathLike,
} from "./arguments.ts";
import { FileHandle } from "./file_handle.ts";
import { Dirent, S_IFCHR, S_IFDIR, S_IFMT, S_IFREG, Stats } from "./stats.ts";
import { readToEnd, writeAll } from "./whole_file.ts";
import { decodeUtf8 } from "../../console/utf8.ts";

const NEW_FILE_MODE = 0o666;
const NEW_DIRECTORY_MODE = 0o777;

export const constants = Object.freeze({
  F_OK, R_OK, W_OK, X_OK, O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, S_IFMT, S_IFREG, S_IFDIR, S_IFCHR,
});

export type FsPromises = ReturnType<typeof createFsPromises>;
export type { FileHandle, Stats, Dirent, PathLike, FileOptions };

type TextOptions = "utf8" | "utf-8" | { readonly encoding: "utf8" | "utf-8"; readonly flag?: string | number };
type BytesOptions = { readonly encoding?: null; readonly flag?: string | number } | null;
type Data = string | ArrayBufferView;

export function createFsPromises(vfs: Vfs) {
  /** Opens, runs `body` on the descriptor, and closes whatever happens. */
  function withFile<T>(path: string, flags: ReturnType<typeof flagsArgument>, mode: number, body: (fd: number) => T): T {
    const fd = vfs.open(path, flags, mode);
    try {
      return body(fd);
    } finally {
      vfs.close(fd);
    }
  }

  async function readFile(path: PathLike | FileHandle, options: TextOptions): Promise<string>;
  async function readFile(path: PathLike | FileHandle, options?: BytesOptions): Promise<Uint8Array>;
  async function readFile(path: PathLike | FileHandle, options?: FileOptions | string | null): Promise<string | Uint8Array>;
  async function readFile(path: PathLike | FileHandle, options?: FileOptions | string | null): Promise<string | Uint8Array> {
    if (path instanceof FileHandle) return path.readFile(options);
    const { encoding, flag } = fileOptions(options);
    const text = encodingArgument(encoding);
    const where = pathArgument(path);
    const bytes = withFile(where, flagsArgument(flag, "r"), 0, (fd) => readToEnd(vfs, fd, where));
    return text ? decodeUtf8(bytes) : bytes;
  }

  /** Writes `data` (a string as UTF-8, or bytes); flag "w" by default, "a" appends, "wx" refuses an existing file. */
  async function writeFile(path: PathLike | FileHandle, data: Data, options?: FileOptions | string | null): Promise<void> {
    return writeData(path, data, options, "w");
  }

  /** writeFile with flag "a" by default. */
  async function appendFile(path: PathLike | FileHandle, data: Data, options?: FileOptions | string | null): Promise<void> {
    return writeData(path, data, options, "a");
  }

  async function writeData(path: PathLike | FileHandle, data: Data, options: FileOptions | string | null | undefined, defaultFlag: string): Promise<void> {
    if (path instanceof FileHandle) return path.writeFile(data, options);
    const { encoding, flag, mode } = fileOptions(options);
    encodingArgument(encoding ?? "utf8");
    const bytes = dataArgument(data);
    withFile(pathArgument(path), flagsArgument(flag, defaultFlag), modeArgument(mode, NEW_FILE_MODE), (fd) => writeAll(vfs, fd, bytes));
  }

  async function readdir(path: PathLike, options: { readonly withFileTypes: true; readonly recursive?: boolean }): Promise<Dirent[]>;
  async function readdir(path: PathLike, options?: { readonly withFileTypes?: false; readonly recursive?: boolean; readonly encoding?: string } | string | null): Promise<string[]>;
  async function readdir(path: PathLike, options?: { readonly withFileTypes?: boolean; readonly recursive?: boolean } | string | null): Promise<string[] | Dirent[]>;
  async function readdir(path: PathLike, options?: { readonly withFileTypes?: boolean; readonly recursive?: boolean } | string | null): Promise<string[] | Dirent[]> {
    const where = pathArgument(path);
    const { withFileTypes = false, recursive = false } = typeof options === "object" && options !== null ? options : {};
    const names: string[] = [];
    const dirents: Dirent[] = [];
    // Breadth first, as Node lists a recursive readdir: each directory, then those under it.
    const queue: { directory: string; prefix: string }[] = [{ directory: where, prefix: "" }];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const entry of vfs.readdir(next.directory)) {
        names.push(next.prefix + entry.name);
        if (withFileTypes) dirents.push(new Dirent(entry, next.directory));
        if (recursive && entry.kind === "directory") queue.push({ directory: childPath(next.directory, entry.name), prefix: `${next.prefix}${entry.name}/` });
      }
    }
    return withFileTypes ? dirents : names;
  }

  async function stat(path: PathLike): Promise<Stats> {
    return new Stats(vfs.stat(pathArgument(path), "stat"));
  }

  /** As stat: there are no symbolic links. */
  async function lstat(path: PathLike): Promise<Stats> {
    return new Stats(vfs.stat(pathArgument(path), "lstat"));
  }

  /** Makes a directory; with `recursive`, its missing parents too, resolving to the first one made. */
  async function mkdir(path: PathLike, options?: { readonly recursive?: boolean; readonly mode?: number | string } | number | string | null): Promise<string | undefined> {
    const where = pathArgument(path);
    const { recursive = false, mode = undefined } = typeof options === "object" && options !== null ? options : { mode: options ?? undefined };
    const permissions = modeArgument(mode, NEW_DIRECTORY_MODE);
    if (!recursive) {
      vfs.mkdir(where, permissions);
      return undefined;
    }
    return makeDirectories(where, permissions);
  }

  /** mkdir -p: undefined when `path` already is a directory, else the first directory made. */
  function makeDirectories(path: string, permissions: number): string | undefined {
    try {
      vfs.mkdir(path, permissions);
      return absolute(path);
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      if (error.code === "EEXIST" && vfs.stat(path).kind === "directory") return undefined;
      const parent = parentPath(path);
      if (error.code !== "ENOENT" || parent === undefined) throw error;
      const first = makeDirectories(parent, permissions);
      vfs.mkdir(path, permissions);
      return first ?? absolute(path);
    }
  }

  /** Removes a file, or with `recursive` a directory and all in it; `force` ignores a missing path. */
  async function rm(path: PathLike, options?: { readonly recursive?: boolean; readonly force?: boolean } | null): Promise<void> {
    const where = pathArgument(path);
    const { recursive = false, force = false } = options ?? {};
    let kind: string;
    try {
      kind = vfs.stat(where, "lstat").kind;
    } catch (error) {
      if (force && error instanceof FsError && error.code === "ENOENT") return;
      throw error;
    }
    if (kind !== "directory") return vfs.unlink(where);
    if (!recursive) throw new RmIsDirectory(where);
    removeTree(where);
  }

  function removeTree(directory: string): void {
    for (const entry of vfs.readdir(directory)) {
      const child = childPath(directory, entry.name);
      if (entry.kind === "directory") removeTree(child);
      else vfs.unlink(child);
    }
    vfs.rmdir(directory);
  }

  async function rmdir(path: PathLike, options?: { readonly recursive?: boolean }): Promise<void> {
    if (options?.recursive === true) throw new InvalidArgument("ERR_INVALID_ARG_VALUE", "rmdir's recursive option is not supported: use rm(path, { recursive: true })");
    vfs.rmdir(pathArgument(path));
  }

  async function unlink(path: PathLike): Promise<void> {
    vfs.unlink(pathArgument(path));
  }

  async function rename(oldPath: PathLike, newPath: PathLike): Promise<void> {
    vfs.rename(pathArgument(oldPath, "oldPath"), pathArgument(newPath, "newPath"));
  }

  /** Resolves when the path exists and, for R_OK/W_OK/X_OK in `mode`, allows that access. */
  async function access(path: PathLike, mode: number = F_OK): Promise<void> {
    vfs.access(pathArgument(path), integerArgument(mode, "mode", 0, 7));
  }

  async function chmod(path: PathLike, mode: number | string): Promise<void> {
    vfs.chmod(pathArgument(path), permissionsArgument(mode));
  }

  async function truncate(path: PathLike, length = 0): Promise<void> {
    const size = Math.max(0, integerArgument(length, "length", -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    withFile(pathArgument(path), flagsArgument("r+", "r+"), 0, (fd) => vfs.ftruncate(fd, size));
  }

  /** Opens a file ("r" by default) and resolves to its FileHandle; close it when done. */
  async function open(path: PathLike, flags?: string | number | null, mode?: number | string | null): Promise<FileHandle> {
    const where = pathArgument(path);
    if (flags !== undefined && flags !== null && typeof flags !== "string" && typeof flags !== "number") {
      throw new InvalidArgument("ERR_INVALID_ARG_TYPE", `The "flags" argument must be a string or a number; got ${describe(flags)}`);
    }
    const fd = vfs.open(where, flagsArgument(flags, "r"), modeArgument(mode, NEW_FILE_MODE));
    return new FileHandle(vfs, fd, where);
  }

  return { readFile, writeFile, appendFile, readdir, stat, lstat, mkdir, rm, rmdir, unlink, rename, access, chmod, truncate, open, constants, FsError };
}

/** `name` inside `directory`, without doubling a trailing slash. */
function childPath(directory: string, name: string): string {
  return directory.endsWith("/") ? `${directory}${name}` : `${directory}/${name}`;
}

function absolute(path: string): string {
  const resolved = resolvePath(path);
  return typeof resolved === "string" ? path : joinComponents(resolved.components);
}

/** The directory holding `path`, or undefined for the root. */
function parentPath(path: string): string | undefined {
  const resolved = resolvePath(path);
  if (typeof resolved === "string" || resolved.components.length === 0) return undefined;
  return joinComponents(resolved.components.slice(0, -1));
}
