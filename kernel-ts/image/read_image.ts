/**
 * read_image: parses an app image (format.ts) with every offset checked against the bytes
 * there are. A truncated, corrupted or malformed image gives an AppImageError value saying
 * what is wrong and where; nothing here throws on bad input, reads out of bounds or copies:
 * each entry's bytes are a subarray of the image.
 *
 * Order of checks: header (magic, version, lengths), then the CRC over the whole image
 * (so a flipped bit anywhere is "corrupt" before anything else is believed), then the
 * metadata, then each entry's lengths and path.
 *
 * `verifyCrc: false` skips only the CRC, for a reader that knows the image's integrity is
 * checked elsewhere before it matters (the /app mount: boot_image.ts says why). The CRC is
 * the costly check, every byte through a table in JS (about 2 µs a byte under qemu TCG);
 * the bounds checks stay, so even a corrupt image is never read out of bounds.
 */

import { decodeUtf8 } from "../console/utf8.ts";
import { crc32 } from "./crc32.ts";
import { APP_ROOT, CRC_START, ENTRY_HEADER_BYTES, FORMAT_VERSION, HEADER, HEADER_BYTES, MAGIC, MAX_PATH_BYTES, padded } from "./format.ts";
import { checkMetadata, type ImageMetadata } from "./metadata.ts";

export interface AppImage {
  readonly metadata: ImageMetadata;
  /** Every entry by path ("/app/…"), in image order; the bytes are views into the image. */
  readonly entries: ReadonlyMap<string, Uint8Array>;
  /** The image's own length (a module MAY be longer: hypervisors pad). */
  readonly length: number;
}

/** Why bytes are not a usable app image. Returned by parseAppImage; thrown by the loaders. */
export class AppImageError extends Error {
  override readonly name = "AppImageError";
  constructor(readonly reason: string) {
    super(`Cannot read the app image: ${reason}`);
  }
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/** A path as format.ts allows it, or why not. */
function pathProblem(path: string): string | undefined {
  if (!path.startsWith(APP_ROOT) || path.length === APP_ROOT.length) return `does not start with ${APP_ROOT}`;
  if (path.includes("\0") || path.includes("\\") || path.includes("\ufffd")) return "holds a NUL, a backslash or bytes that are not UTF-8";
  const segments = path.slice(1).split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return `has an empty, "." or ".." segment`;
  return undefined;
}

export interface ParseOptions {
  /** Check the CRC-32 (default true). */
  readonly verifyCrc?: boolean;
}

export function parseAppImage(bytes: Uint8Array, options: ParseOptions = {}): AppImage | AppImageError {
  if (!(bytes instanceof Uint8Array)) return new AppImageError("the image is not a Uint8Array");
  if (bytes.length < HEADER_BYTES) return new AppImageError(`the image is truncated: ${bytes.length} bytes, shorter than its ${HEADER_BYTES}-byte header`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[HEADER.magic + i] !== MAGIC[i]) return new AppImageError("the image does not start with the magic \"SKIFFIMG\": not a Skiff app image");
  }
  const version = u32(bytes, HEADER.version);
  if (version !== FORMAT_VERSION) return new AppImageError(`the image is format version ${version}; this kernel reads version ${FORMAT_VERSION}`);
  const length = u32(bytes, HEADER.imageLength);
  if (length < HEADER_BYTES) return new AppImageError(`the header gives an image length of ${length} bytes, shorter than the header`);
  if (length > bytes.length) return new AppImageError(`the image is truncated: the header says ${length} bytes, there are ${bytes.length}`);
  if (options.verifyCrc ?? true) {
    const expectedCrc = u32(bytes, HEADER.crc32);
    const actualCrc = crc32(bytes, CRC_START, length);
    if (actualCrc !== expectedCrc) return new AppImageError(`the image is corrupt: its CRC-32 is ${hex(actualCrc)}, the header says ${hex(expectedCrc)}`);
  }

  const metadataLength = u32(bytes, HEADER.metadataLength);
  const entryCount = u32(bytes, HEADER.entryCount);
  if (metadataLength > length - HEADER_BYTES) return new AppImageError(`the metadata length ${metadataLength} passes the end of the image`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeUtf8(bytes.subarray(HEADER_BYTES, HEADER_BYTES + metadataLength)));
  } catch (error) {
    return new AppImageError(`the metadata is not JSON: ${(error as Error).message}`);
  }
  const metadata = checkMetadata(parsed);
  if (typeof metadata === "string") return new AppImageError(metadata);

  const entries = new Map<string, Uint8Array>();
  let at = HEADER_BYTES + padded(metadataLength);
  for (let i = 0; i < entryCount; i++) {
    if (at + ENTRY_HEADER_BYTES > length) return new AppImageError(`entry ${i} of ${entryCount} starts at byte ${at}, past the end of the image (${length})`);
    const pathLength = u32(bytes, at);
    const dataLength = u32(bytes, at + 4);
    if (pathLength === 0 || pathLength > MAX_PATH_BYTES) return new AppImageError(`entry ${i} has a path of ${pathLength} bytes (1–${MAX_PATH_BYTES} allowed)`);
    const pathStart = at + ENTRY_HEADER_BYTES;
    const dataStart = pathStart + padded(pathLength);
    if (dataStart > length || dataLength > length - dataStart) {
      return new AppImageError(`entry ${i} (${pathLength}-byte path, ${dataLength} bytes of data at byte ${dataStart}) passes the end of the image (${length})`);
    }
    const path = decodeUtf8(bytes.subarray(pathStart, pathStart + pathLength));
    const problem = pathProblem(path);
    if (problem !== undefined) return new AppImageError(`entry ${i}'s path ${JSON.stringify(path)} ${problem}`);
    if (entries.has(path)) return new AppImageError(`the path ${path} appears twice`);
    entries.set(path, bytes.subarray(dataStart, dataStart + dataLength));
    at = dataStart + padded(dataLength);
  }
  if (at !== length) return new AppImageError(`the ${entryCount} entries end at byte ${at}, but the image is ${length} bytes`);
  return { metadata, entries, length };
}
