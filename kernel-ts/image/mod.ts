/**
 * image/: the app image — one app's bytecode, bundle and assets in a read-only archive that
 * reaches the guest as PVH module 0 (`--initramfs`, `-initrd`), so one kernel serves every
 * app. format.ts documents the layout; host/build/app_image.ts writes it.
 */

export { APP_ROOT, ASSETS_ROOT, FORMAT_VERSION, bytecodePath, sourceMapPath, sourcePath } from "./format.ts";
export { checkManifest, DEFAULT_CPU_BUDGET_MS, ManifestError, type AppManifest, type RestartPolicy } from "./manifest.ts";
export { checkMetadata, engineMismatch, type EngineVersion, type ImageMetadata } from "./metadata.ts";
export { AppImageError, parseAppImage, type AppImage } from "./read_image.ts";
export { appImageEntries, bootAppImage, type BootImageSource } from "./boot_image.ts";
export { imageAppSource } from "./image_app.ts";
export { crc32 } from "./crc32.ts";
