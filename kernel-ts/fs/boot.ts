/**
 * boot: the file tree at kernel boot, and `skiff:fs` for apps.
 *
 *   /      a read-only image holding only the mount points (imagefs)
 *   /tmp   ramfs, within a quarter of the JS engine's memory limit (of the heap when the
 *          engine has none), as tmpfs takes a share of RAM by default
 *   /dev   devfs: console, null, zero, urandom
 *   /app   the app's bundled assets, read-only (imagefs); empty until the boot image
 *          carries them (`appImage`)
 *
 * The same API object is `skiff:fs`; apps that import `node:fs/promises` get it too,
 * because the app bundler maps that name to `skiff:fs` (host/build/bundle.ts).
 */

import type { Platform } from "../hal/platform.ts";
import { createFsPromises, type FsPromises } from "./api/fs_promises.ts";
import { Devfs } from "./devfs.ts";
import { ImageFs } from "./image_fs.ts";
import { Ramfs } from "./ramfs/ramfs.ts";
import { Vfs } from "./vfs.ts";

export interface FilesBoot {
  readonly platform: Platform;
  /** /app's files by absolute path ("/index.html"): see ImageFs. Default: none. */
  readonly appImage?: ReadonlyMap<string, Uint8Array>;
  /** Bytes /tmp may hold; default a quarter of the memory limit (see above). */
  readonly tmpBytes?: number;
}

export interface Files {
  readonly vfs: Vfs;
  readonly api: FsPromises;
}

/** Builds the tree, defines `skiff:fs`, and returns both. */
export function startFiles(boot: FilesBoot): Files {
  const { platform } = boot;
  const nowMs = (): number => platform.wallClockMs();
  const memory = platform.memoryStats();
  const tmpBytes = boot.tmpBytes ?? Math.floor((memory.jsLimit > 0 ? memory.jsLimit : memory.heapTotal) / 4);
  const vfs = new Vfs();
  vfs.mount("/", new ImageFs(new Map(), { directories: ["/tmp", "/dev", "/app"], timeMs: nowMs() }));
  vfs.mount("/tmp", new Ramfs({ maxBytes: tmpBytes, nowMs }));
  vfs.mount("/dev", new Devfs({ consoleWrite: (bytes) => platform.consoleWrite(bytes), randomFill: (bytes) => platform.randomFill(bytes), nowMs }));
  vfs.mount("/app", new ImageFs(boot.appImage ?? new Map(), { timeMs: nowMs() }));
  const api = createFsPromises(vfs);
  platform.defineModule("skiff:fs", api);
  return { vfs, api };
}
