/**
 * boot: the file tree at kernel boot, and `skiff:fs` for apps.
 *
 *   /      a read-only image holding only the mount points (imagefs)
 *   /tmp   ramfs, within a quarter of the JS engine's memory limit (of the heap when the
 *          engine has none), as tmpfs takes a share of RAM by default
 *   /dev   devfs: console, null, zero, urandom
 *   /app   the boot image's assets, read-only (imagefs): the image's /app/assets/x is
 *          /app/assets/x; its bytecode and bundle are not shown (app_files.ts says why).
 *          Empty when the platform booted without an image (a linked app), and when the
 *          image does not parse (truncated, malformed): loadApp then refuses every app with
 *          the reason (Platform.loadApp), so no app runs to see it. The image's CRC is left
 *          to loadApp too, which checks it before any app code runs (image/boot_image.ts).
 *
 * The same API object is `skiff:fs`; apps that import `node:fs/promises` get it too,
 * because the app bundler maps that name to `skiff:fs` (host/build/esbuild_options.ts).
 */

import type { Platform } from "../hal/platform.ts";
import { AppImageError, appImageEntries } from "../image/mod.ts";
import { appFiles } from "./app_files.ts";
import { createFsPromises, type FsPromises } from "./api/fs_promises.ts";
import { Devfs } from "./devfs.ts";
import { ImageFs } from "./image_fs.ts";
import { Ramfs } from "./ramfs/ramfs.ts";
import { Vfs } from "./vfs.ts";

export interface FilesBoot {
  readonly platform: Platform;
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
  vfs.mount("/app", new ImageFs(bootImageAssets(platform), { timeMs: nowMs() }));
  const api = createFsPromises(vfs);
  platform.defineModule("skiff:fs", api);
  return { vfs, api };
}

/** The boot image's assets for /app; none without an image or with one that does not parse (see above). */
function bootImageAssets(platform: Platform): Map<string, Uint8Array> {
  try {
    return appFiles(appImageEntries(platform, { verifyCrc: false }));
  } catch (error) {
    if (error instanceof AppImageError) return new Map();
    throw error;
  }
}
