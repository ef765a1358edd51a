/**
 * format: the Skiff app image, version 1 — what `skiff build APP` writes to
 * build/apps/APP.img (host/build/app_image.ts) and what reaches the guest as PVH module 0
 * (cloud-hypervisor `--initramfs`, qemu `-initrd`), read by read_image.ts here and by
 * shim/lib/app_image.c in the shim. One kernel image then serves every app.
 *
 * A simple archive: every integer is an unsigned 32-bit little-endian number, every
 * variable-length field is followed by zero bytes up to the next multiple of 4.
 *
 *   offset  size  field
 *   0       8     magic "SKIFFIMG"
 *   8       4     format version (FORMAT_VERSION; a reader refuses any other)
 *   12      4     CRC-32 (IEEE 802.3, as zlib's crc32) of bytes [16, image length)
 *   16      4     image length: every byte of the image, this header included; a
 *                 hypervisor MAY pad a module, so bytes past it are ignored
 *   20      4     metadata length M (bytes of UTF-8 JSON, before padding)
 *   24      4     entry count N
 *   28      4     reserved, 0
 *   32      M     metadata: one JSON object (metadata.ts), then padding
 *   …             N entries, each:
 *                   4  path length P (1–MAX_PATH_BYTES)
 *                   4  data length D
 *                   P  path, UTF-8, then padding
 *                   D  data, then padding
 *                 the last entry's padding ends exactly at the image length
 *
 * Metadata: { "format": 1, "app": <the manifest as built, defaults filled in>,
 * "engine": { "quickjs": "2025-04-26", "bytecodeVersion": 4 } } — the QuickJS release the
 * host qjsc was built from and the version byte its bytecode starts with. The native loader
 * refuses an image whose engine is not its own (bytecode has no verifier); see metadata.ts.
 *
 * Entries: paths are absolute, under "/app/", with no empty, "." or ".." segment, and
 * unique. An image of app NAME holds
 *   /app/NAME.bc        the app's QuickJS bytecode (host qjsc, module name "apps/NAME.js",
 *                       exactly as the linked-in apps are compiled); the native loader runs it
 *   /app/NAME.js        the app's esbuild bundle, the source the bytecode was compiled from;
 *                       hosted platforms run it (their engines are other QuickJS builds)
 *   /app/NAME.js.map    esbuild's source map of the bundle (version 3, sources relative to
 *                       the project, no sourcesContent): the kernel reports the app's stack
 *                       frames at their TypeScript positions (loader/app_frames.ts)
 *   /app/assets/…       each file of the manifest's assets folder, by its relative path
 *
 * The CRC catches a corrupted or truncated image before any of its bytecode reaches the
 * engine (JS_ReadObject trusts its input). Offsets are 4-byte aligned so the data of an
 * entry can be viewed in place; nothing is compressed.
 */

/** "SKIFFIMG" in ASCII. */
export const MAGIC: readonly number[] = [0x53, 0x4b, 0x49, 0x46, 0x46, 0x49, 0x4d, 0x47];
export const FORMAT_VERSION = 1;

/** Byte offsets of the header's fields. */
export const HEADER = {
  magic: 0,
  version: 8,
  crc32: 12,
  imageLength: 16,
  metadataLength: 20,
  entryCount: 24,
  reserved: 28,
} as const;
export const HEADER_BYTES = 32;
/** The CRC covers the image from here to its end: everything but magic, version and CRC. */
export const CRC_START = HEADER.imageLength;

/** Each entry starts with its path length and data length. */
export const ENTRY_HEADER_BYTES = 8;
export const MAX_PATH_BYTES = 1024;
/** Every path in an image starts with this. */
export const APP_ROOT = "/app/";
/** Where the manifest's assets folder lands in an image. */
export const ASSETS_ROOT = "/app/assets/";

/** `n` rounded up to a multiple of 4. */
export function padded(n: number): number {
  return (n + 3) & ~3;
}

/** The path of an app's bytecode entry. */
export function bytecodePath(name: string): string {
  return `${APP_ROOT}${name}.bc`;
}

/** The path of an app's JavaScript bundle entry. */
export function sourcePath(name: string): string {
  return `${APP_ROOT}${name}.js`;
}

/** The path of the source map of an app's bundle. */
export function sourceMapPath(name: string): string {
  return `${APP_ROOT}${name}.js.map`;
}
