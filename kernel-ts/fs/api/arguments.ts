/**
 * arguments: reads the arguments of the node:fs/promises calls the way Node does — paths
 * as strings, Uint8Array or file: URLs; flags as Node's strings ("r", "w", "wx", "a+"…) or
 * O_* numbers; modes as numbers or octal strings; encodings "utf8" or none (bytes);
 * positions as numbers, bigints or null — and turns what it cannot take into
 * InvalidArgument or ArgumentOutOfRange.
 */

import { decodeUtf8, encodeUtf8 } from "../../console/utf8.ts";
import type { OpenFlags } from "../vfs.ts";
import { ArgumentOutOfRange, describe, InvalidArgument } from "./argument_errors.ts";

/** Linux's open(2) flag values, which `constants` exports and numeric flags use. */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
const O_ACCMODE = 3;
const O_SYNC = 0o4010000;

/** New files and directories lose these permission bits, as under a process umask of 022. */
export const UMASK = 0o022;

const FLAG_STRINGS: Readonly<Record<string, number>> = {
  r: O_RDONLY, rs: O_RDONLY | O_SYNC, sr: O_RDONLY | O_SYNC,
  "r+": O_RDWR, "rs+": O_RDWR | O_SYNC, "sr+": O_RDWR | O_SYNC,
  w: O_TRUNC | O_CREAT | O_WRONLY, wx: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL, xw: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  "w+": O_TRUNC | O_CREAT | O_RDWR, "wx+": O_TRUNC | O_CREAT | O_RDWR | O_EXCL, "xw+": O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  a: O_APPEND | O_CREAT | O_WRONLY, ax: O_APPEND | O_CREAT | O_WRONLY | O_EXCL, xa: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  as: O_APPEND | O_CREAT | O_WRONLY | O_SYNC, sa: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  "a+": O_APPEND | O_CREAT | O_RDWR, "ax+": O_APPEND | O_CREAT | O_RDWR | O_EXCL, "xa+": O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  "as+": O_APPEND | O_CREAT | O_RDWR | O_SYNC, "sa+": O_APPEND | O_CREAT | O_RDWR | O_SYNC,
};

/** What an app may pass as a path. */
export type PathLike = string | Uint8Array | { readonly href: string; readonly protocol: string; readonly pathname: string };

/** The path as text; a file: URL gives its decoded pathname. */
export function pathArgument(value: unknown, name = "path"): string {
  let path: string;
  if (typeof value === "string") path = value;
  else if (value instanceof Uint8Array) path = decodeUtf8(value);
  else if (isFileUrl(value)) path = decodeURIComponent(value.pathname);
  else throw new InvalidArgument("ERR_INVALID_ARG_TYPE", `The "${name}" argument must be a string, a Uint8Array or a file: URL; got ${describe(value)}`);
  if (path.includes("\u0000")) throw new InvalidArgument("ERR_INVALID_ARG_VALUE", `The "${name}" argument must not contain null bytes; got '${path.replace(/\u0000/g, "\\x00")}'`);
  return path;
}

function isFileUrl(value: unknown): value is { readonly pathname: string } {
  if (typeof value !== "object" || value === null) return false;
  const url = value as { href?: unknown; protocol?: unknown; pathname?: unknown };
  if (typeof url.href !== "string" || typeof url.pathname !== "string") return false;
  if (url.protocol !== "file:") throw new InvalidArgument("ERR_INVALID_ARG_VALUE", `The URL must be of scheme file; got ${url.href}`);
  return true;
}

/** Node's flag string or O_* number, decoded; `fallback` when undefined or null. */
export function flagsArgument(value: unknown, fallback: string): OpenFlags {
  const bits = value === undefined || value === null ? FLAG_STRINGS[fallback]! : typeof value === "number" ? value : FLAG_STRINGS[String(value)];
  if (bits === undefined || !Number.isInteger(bits)) throw new InvalidArgument("ERR_INVALID_ARG_VALUE", `The "flags" argument is not a flag Node knows; got ${describe(value)}`);
  const access = bits & O_ACCMODE;
  if (access === O_ACCMODE) throw new InvalidArgument("ERR_INVALID_ARG_VALUE", `The "flags" argument has both O_WRONLY and O_RDWR; got ${bits}`);
  return {
    read: access !== O_WRONLY,
    write: access !== O_RDONLY,
    append: (bits & O_APPEND) !== 0,
    create: (bits & O_CREAT) !== 0,
    exclusive: (bits & O_EXCL) !== 0,
    truncate: (bits & O_TRUNC) !== 0,
  };
}

/** Permission bits as a number or an octal string ("755"), as chmod takes them. */
export function permissionsArgument(value: unknown): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0o7777) return value;
  if (typeof value === "string" && /^[0-7]{1,4}$/.test(value)) return Number.parseInt(value, 8);
  throw new InvalidArgument("ERR_INVALID_ARG_VALUE", `The "mode" argument must be an integer in 0–0o7777 or an octal string; got ${describe(value)}`);
}

/** A new file's or directory's mode, `fallback` when not given, with the umask applied. */
export function modeArgument(value: unknown, fallback: number): number {
  return (value === undefined || value === null ? fallback : permissionsArgument(value)) & ~UMASK;
}

/** true for utf8, false for bytes; anything else is refused by name. */
export function encodingArgument(value: unknown): boolean {
  if (value === undefined || value === null || value === "buffer") return false;
  if (typeof value === "string" && /^utf-?8$/i.test(value)) return true;
  throw new InvalidArgument("ERR_INVALID_ARG_VALUE", `The encoding ${describe(value)} is not supported: skiff:fs reads and writes utf8 text or bytes`);
}

export interface FileOptions {
  readonly encoding?: string | null;
  readonly flag?: string | number;
  readonly mode?: number | string;
}

/** readFile/writeFile's options: an encoding string or an object. */
export function fileOptions(value: unknown): FileOptions {
  if (value === undefined || value === null) return {};
  if (typeof value === "string") return { encoding: value };
  if (typeof value === "object") return value as FileOptions;
  throw new InvalidArgument("ERR_INVALID_ARG_TYPE", `The "options" argument must be a string or an object; got ${describe(value)}`);
}

/** The bytes of what an app writes: a string (UTF-8) or any ArrayBufferView, without copying. */
export function dataArgument(value: unknown): Uint8Array {
  if (typeof value === "string") return encodeUtf8(value);
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new InvalidArgument("ERR_INVALID_ARG_TYPE", `The "data" argument must be a string or an ArrayBufferView (Uint8Array…); got ${describe(value)}`);
}

/** A read or write position: a non-negative integer, or null for "the handle's position". */
export function positionArgument(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const position = typeof value === "bigint" ? Number(value) : value;
  if (typeof position !== "number" || !Number.isSafeInteger(position)) {
    throw new InvalidArgument("ERR_INVALID_ARG_TYPE", `The "position" argument must be an integer, a bigint or null; got ${describe(value)}`);
  }
  return position < 0 ? null : position; // Node reads -1 as "the current position"
}

/** An integer in [min, max] (offsets and lengths into a buffer). */
export function integerArgument(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new InvalidArgument("ERR_INVALID_ARG_TYPE", `The "${name}" argument must be an integer; got ${describe(value)}`);
  }
  if (value < min || value > max) throw new ArgumentOutOfRange(`The "${name}" argument must be in ${min}–${max}; got ${value}`);
  return value;
}

/** A view of the bytes of any ArrayBufferView an app reads into. */
export function bufferArgument(value: unknown, name = "buffer"): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new InvalidArgument("ERR_INVALID_ARG_TYPE", `The "${name}" argument must be an ArrayBufferView (Uint8Array…); got ${describe(value)}`);
}
