/**
 * path: turns the path an app names into the components the VFS walks.
 *
 * There is one working directory, "/", so a relative path is read from the root. The
 * result is normalised lexically: empty and "." components drop, ".." removes the one
 * before it and stops at the root (nothing climbs above "/"). With no symbolic links this
 * is what a walk of the tree would find, except that "/tmp/file/.." names /tmp instead of
 * failing with ENOTDIR. A path ending in "/" (or "/." or "/..") must name a directory:
 * `mustBeDirectory` tells the VFS to check.
 *
 * Limits are Linux's: a component of at most 255 bytes and a path of at most 4095 bytes
 * (ENAMETOOLONG); the empty path names nothing (ENOENT).
 */

import type { FsResult } from "./errors.ts";
import { encodeUtf8 } from "../console/utf8.ts";

export const NAME_MAX = 255;
export const PATH_MAX = 4095;

export interface ResolvedPath {
  /** From the root down, each a name: never "", "." or "..". */
  readonly components: readonly string[];
  /** The path ended in "/", "/." or "/..": it must name a directory. */
  readonly mustBeDirectory: boolean;
}

/** The normalised components of `path`, or why it names nothing. */
export function resolvePath(path: string): FsResult<ResolvedPath> {
  if (path === "") return "ENOENT";
  if (path.length > PATH_MAX && encodeUtf8(path).length > PATH_MAX) return "ENAMETOOLONG";
  const components: string[] = [];
  const parts = path.split("/");
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      components.pop();
      continue;
    }
    if (part.length > NAME_MAX / 3 && encodeUtf8(part).length > NAME_MAX) return "ENAMETOOLONG";
    components.push(part);
  }
  const last = parts[parts.length - 1];
  const mustBeDirectory = parts.length > 1 && (last === "" || last === "." || last === "..");
  return { components, mustBeDirectory };
}

/** "/" and the components joined: the absolute form of a resolved path. */
export function joinComponents(components: readonly string[]): string {
  return `/${components.join("/")}`;
}
