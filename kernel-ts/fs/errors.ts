/**
 * errors: how the file systems fail, in the shape Node gives its own `fs` errors so that
 * code written for Node reads them the same way: one class, FsError, whose `code` is the
 * POSIX name ("ENOENT"), with `errno` (Linux's number, negated as libuv does), `syscall`
 * ("open", "rename"…), `path` and, for two-path calls, `dest`, and the message Node prints:
 *
 *   ENOENT: no such file or directory, open '/tmp/x'
 *   EXDEV: cross-device link not permitted, rename '/tmp/a' -> '/app/b'
 *   EBADF: bad file descriptor, write            (a call on a handle names no path)
 *
 * Inside the VFS a failure is a value, the bare code (FsCode): file systems return it and
 * the VFS, which knows the syscall and the caller's path, turns it into an FsError.
 */

/** The POSIX errors the file systems report, with Linux's errno and libuv's wording. */
const CODES = {
  EPERM: { errno: 1, text: "operation not permitted" },
  ENOENT: { errno: 2, text: "no such file or directory" },
  EBADF: { errno: 9, text: "bad file descriptor" },
  EACCES: { errno: 13, text: "permission denied" },
  EBUSY: { errno: 16, text: "resource busy or locked" },
  EEXIST: { errno: 17, text: "file already exists" },
  EXDEV: { errno: 18, text: "cross-device link not permitted" },
  ENOTDIR: { errno: 20, text: "not a directory" },
  EISDIR: { errno: 21, text: "illegal operation on a directory" },
  EINVAL: { errno: 22, text: "invalid argument" },
  EMFILE: { errno: 24, text: "too many open files" },
  ENOSPC: { errno: 28, text: "no space left on device" },
  EROFS: { errno: 30, text: "read-only file system" },
  ENAMETOOLONG: { errno: 36, text: "name too long" },
  ENOTEMPTY: { errno: 39, text: "directory not empty" },
} as const;

export type FsCode = keyof typeof CODES;

/** What a file-system operation returns: its result, or the code of its failure. */
export type FsResult<T> = T | FsCode;

/** True when `result` is a failure code rather than a value (no FsResult value is a string). */
export function isFsCode(result: unknown): result is FsCode {
  return typeof result === "string";
}

export interface FsErrorOptions {
  readonly path?: string | undefined;
  readonly dest?: string | undefined;
  /** Replaces Node's standard message, for the few calls where Node words it otherwise. */
  readonly message?: string;
}

/** A file-system call failed; `code` says how (see CODES). */
export class FsError extends Error {
  override readonly name: string = "FsError";
  readonly errno: number;
  readonly code: FsCode | "ERR_FS_EISDIR";
  readonly syscall: string;
  declare readonly path?: string;
  declare readonly dest?: string;

  constructor(code: FsCode, syscall: string, options: FsErrorOptions = {}) {
    const { path, dest } = options;
    const where = path === undefined ? "" : dest === undefined ? ` '${path}'` : ` '${path}' -> '${dest}'`;
    super(options.message ?? `${code}: ${CODES[code].text}, ${syscall}${where}`);
    this.errno = -CODES[code].errno;
    this.code = code;
    this.syscall = syscall;
    if (path !== undefined) Object.defineProperty(this, "path", { value: path, enumerable: true });
    if (dest !== undefined) Object.defineProperty(this, "dest", { value: dest, enumerable: true });
  }
}

/**
 * rm on a directory without `recursive`: Node reports this one as a SystemError with its
 * own code and wording, and so do we.
 */
export class RmIsDirectory extends FsError {
  override readonly name: string = "RmIsDirectory";
  override readonly code = "ERR_FS_EISDIR";
  override readonly errno = 21;

  constructor(path: string) {
    super("EISDIR", "rm", { path, message: `Path is a directory: rm returned EISDIR (is a directory) ${path}` });
  }
}

/** A call on a FileHandle after close(): Node's code and words ("file closed"). */
export class FileClosed extends FsError {
  override readonly name: string = "FileClosed";

  constructor(syscall: string) {
    super("EBADF", syscall, { message: "file closed" });
  }
}
