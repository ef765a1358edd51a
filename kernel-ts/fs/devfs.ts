/**
 * devfs: the device files under /dev, a fixed set:
 *
 *   console  writes go to the kernel console (platform.consoleWrite); reads give end of file
 *   null     writes are discarded; reads give end of file
 *   zero     reads fill the buffer with zeros; writes are discarded
 *   urandom  reads fill the buffer from the injected randomFill; writes are discarded
 *
 * Positions mean nothing to a device. The directory itself is read-only to apps (mode
 * 0555): creating, removing or renaming in it fails with EACCES.
 */

import type { FsResult } from "./errors.ts";
import type { DirEntry, FileSystem, NodeStats, OpenFile, OpenIntent } from "./file_system.ts";

export interface DevfsOptions {
  readonly consoleWrite: (bytes: Uint8Array) => void;
  readonly randomFill: (bytes: Uint8Array) => void;
  /** The wall clock, ms since the epoch: the devices' times are when devfs was made. */
  readonly nowMs: () => number;
}

interface Device {
  read(into: Uint8Array): number;
  write(bytes: Uint8Array): number;
}

const DIRECTORY_PERMISSIONS = 0o555;
const DEVICE_PERMISSIONS = 0o666;

export class Devfs implements FileSystem {
  readonly type = "devfs";
  readonly readOnly = false;
  readonly #devices: ReadonlyMap<string, Device>;
  readonly #bootMs: number;

  constructor(options: DevfsOptions) {
    const endOfFile = (): number => 0;
    const discard = (bytes: Uint8Array): number => bytes.length;
    this.#devices = new Map<string, Device>([
      ["console", { read: endOfFile, write: (bytes) => { options.consoleWrite(bytes); return bytes.length; } }],
      ["null", { read: endOfFile, write: discard }],
      ["urandom", { read: (into) => { options.randomFill(into); return into.length; }, write: discard }],
      ["zero", { read: (into) => { into.fill(0); return into.length; }, write: discard }],
    ]);
    this.#bootMs = options.nowMs();
  }

  stat(path: readonly string[]): FsResult<NodeStats> {
    if (path.length === 0) return this.#stats("directory", 0);
    const index = this.#index(path);
    return typeof index === "string" ? index : this.#stats("device", index);
  }

  open(path: readonly string[], intent: OpenIntent): FsResult<OpenFile> {
    if (path.length === 0) {
      if (intent.create && intent.exclusive) return "EEXIST";
      if (intent.write) return "EISDIR";
      const stat = this.#stats("directory", 0);
      return { kind: "directory", stat: () => stat, read: () => "EISDIR", write: () => "EISDIR", truncate: () => "EISDIR", close: () => {} };
    }
    const index = this.#index(path);
    if (index === "ENOENT" && intent.create) return "EACCES";
    if (typeof index === "string") return index;
    if (intent.create && intent.exclusive) return "EEXIST";
    const device = [...this.#devices.values()][index]!;
    const stat = this.#stats("device", index);
    return {
      kind: "device",
      stat: () => stat,
      read: (_position, into) => device.read(into),
      write: (_position, bytes) => device.write(bytes),
      truncate: () => "EINVAL",
      close: () => {},
    };
  }

  readdir(path: readonly string[]): FsResult<DirEntry[]> {
    if (path.length > 0) {
      const index = this.#index(path);
      return typeof index === "string" ? index : "ENOTDIR";
    }
    return [...this.#devices.keys()].map((name) => ({ name, kind: "device" as const }));
  }

  mkdir(path: readonly string[]): FsResult<void> {
    return path.length === 0 || typeof this.#index(path) === "number" ? "EEXIST" : this.#refuse(path);
  }

  rmdir(path: readonly string[]): FsResult<void> {
    if (path.length === 0) return "EBUSY";
    const index = this.#index(path);
    return typeof index === "string" ? index : "ENOTDIR";
  }

  unlink(path: readonly string[]): FsResult<void> {
    if (path.length === 0) return "EISDIR";
    const index = this.#index(path);
    return typeof index === "string" ? index : "EACCES";
  }

  rename(from: readonly string[]): FsResult<void> {
    if (from.length === 0) return "EBUSY";
    const index = this.#index(from);
    return typeof index === "string" ? index : "EACCES";
  }

  chmod(path: readonly string[]): FsResult<void> {
    const found = this.stat(path);
    return typeof found === "string" ? found : "EPERM";
  }

  /** The device's position in the table, or why the path names none. */
  #index(path: readonly string[]): FsResult<number> {
    const [name, ...rest] = path;
    const index = [...this.#devices.keys()].indexOf(name ?? "");
    if (index < 0) return "ENOENT";
    return rest.length > 0 ? "ENOTDIR" : index;
  }

  /** A name that is not there: under a device ENOTDIR, else creating it is not allowed. */
  #refuse(path: readonly string[]): FsResult<void> {
    const index = this.#index(path.slice(0, 1));
    return path.length > 1 ? (typeof index === "string" ? index : "ENOTDIR") : "EACCES";
  }

  #stats(kind: "directory" | "device", index: number): NodeStats {
    const at = this.#bootMs;
    const directory = kind === "directory";
    return {
      kind, permissions: directory ? DIRECTORY_PERMISSIONS : DEVICE_PERMISSIONS, size: 0, ino: directory ? 1 : 2 + index,
      nlink: directory ? 2 : 1, atimeMs: at, mtimeMs: at, ctimeMs: at, birthtimeMs: at,
    };
  }
}
