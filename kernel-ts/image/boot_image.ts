/**
 * boot_image: the app image the platform booted with (Platform.bootImage), parsed, for the
 * kernel. appImageEntries is what the VFS will mount read-only at /app: every entry of the
 * image by path ("/app/NAME.bc", "/app/NAME.js", "/app/assets/…"), the bytes viewed in place
 * (on the native platform they are the PVH module's own memory, which nothing writes).
 */

import { AppImageError, parseAppImage, type AppImage } from "./read_image.ts";

/** What these need of a Platform: its bootImage() (kernel-ts/hal/platform.ts). */
export interface BootImageSource {
  bootImage(): Uint8Array | undefined;
}

/** The boot image, parsed; undefined when the platform booted without one. Throws AppImageError for a bad one. */
export function bootAppImage(platform: BootImageSource): AppImage | undefined {
  const bytes = platform.bootImage();
  if (bytes === undefined) return undefined;
  const image = parseAppImage(bytes);
  if (image instanceof AppImageError) throw image;
  return image;
}

/**
 * The boot image's entries by path, or undefined when there is no boot image. Throws
 * AppImageError when the image is truncated, corrupt or malformed. The engine the bytecode
 * was built for is not checked here (assets do not depend on it); loadApp checks it.
 */
export function appImageEntries(platform: BootImageSource): ReadonlyMap<string, Uint8Array> | undefined {
  return bootAppImage(platform)?.entries;
}
