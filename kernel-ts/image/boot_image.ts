/**
 * boot_image: the app image the platform booted with (Platform.bootImage), parsed, for the
 * kernel. appImageEntries is what the VFS mounts read-only at /app (fs/app_files.ts picks
 * the assets): every entry of the image by path ("/app/NAME.bc", "/app/NAME.js",
 * "/app/assets/…"), the bytes viewed in place (on the native platform they are the PVH
 * module's own memory, which nothing writes).
 *
 * The VFS passes `verifyCrc: false`: every app reaches the machine through Platform.loadApp,
 * which MUST refuse a corrupt boot image (its CRC checked by the shim in C, or by
 * image_app.ts on the TypeScript platforms) before any app code runs, so no app can read
 * /app from an image whose CRC is wrong — and checking it again here would cost every boot
 * with an image about 2 ms per KiB under qemu TCG (2 s for 1 MiB of assets).
 */

import { AppImageError, parseAppImage, type AppImage, type ParseOptions } from "./read_image.ts";

/** What these need of a Platform: its bootImage() (kernel-ts/hal/platform.ts). */
export interface BootImageSource {
  bootImage(): Uint8Array | undefined;
}

/** The boot image, parsed; undefined when the platform booted without one. Throws AppImageError for a bad one. */
export function bootAppImage(platform: BootImageSource, options: ParseOptions = {}): AppImage | undefined {
  const bytes = platform.bootImage();
  if (bytes === undefined) return undefined;
  const image = parseAppImage(bytes, options);
  if (image instanceof AppImageError) throw image;
  return image;
}

/**
 * The boot image's entries by path, or undefined when there is no boot image. Throws
 * AppImageError when the image is truncated, malformed or (unless `verifyCrc: false`)
 * corrupt. The engine the bytecode was built for is not checked here (assets do not depend
 * on it); loadApp checks it.
 */
export function appImageEntries(platform: BootImageSource, options: ParseOptions = {}): ReadonlyMap<string, Uint8Array> | undefined {
  return bootAppImage(platform, options)?.entries;
}
