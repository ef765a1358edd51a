/**
 * app_image: writes an app image, the archive kernel-ts/image/format.ts lays out (magic,
 * version, CRC-32, lengths, the JSON metadata, then each entry's path and bytes, every field
 * 4-byte aligned, little-endian). Pure: the same metadata and entries give the same bytes
 * (no timestamps), so an unchanged app rebuilds to an identical image.
 *
 * The reader is kernel-ts/image/read_image.ts (and shim/lib/app_image.c in the guest);
 * tests/unit/image/ checks that what this writes, they read.
 */
import {
  APP_ROOT, CRC_START, ENTRY_HEADER_BYTES, FORMAT_VERSION, HEADER, HEADER_BYTES, MAGIC, MAX_PATH_BYTES, padded,
} from "../../kernel-ts/image/format.ts";
import { crc32 } from "../../kernel-ts/image/crc32.ts";
import type { ImageMetadata } from "../../kernel-ts/image/metadata.ts";

export interface ImageEntry {
  /** "/app/…" */
  readonly path: string;
  readonly data: Uint8Array;
}

export function writeAppImage(metadata: ImageMetadata, entries: readonly ImageEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const metadataBytes = encoder.encode(JSON.stringify(metadata));
  const paths = new Set<string>();
  const encoded = entries.map((entry) => {
    const path = encoder.encode(entry.path);
    if (!entry.path.startsWith(APP_ROOT)) throw new RangeError(`Cannot write app image entry ${entry.path}: paths start with ${APP_ROOT}`);
    if (path.length > MAX_PATH_BYTES) throw new RangeError(`Cannot write app image entry ${entry.path}: the path is longer than ${MAX_PATH_BYTES} bytes`);
    if (paths.has(entry.path)) throw new RangeError(`Cannot write app image entry ${entry.path}: the path appears twice`);
    paths.add(entry.path);
    return { path, data: entry.data };
  });

  let length = HEADER_BYTES + padded(metadataBytes.length);
  for (const entry of encoded) length += ENTRY_HEADER_BYTES + padded(entry.path.length) + padded(entry.data.length);
  if (length > 0xffffffff) throw new RangeError(`Cannot write an app image of ${length} bytes: the format's lengths are 32-bit`);

  const image = new Uint8Array(length); // zero-filled: the padding
  const view = new DataView(image.buffer);
  image.set(MAGIC, HEADER.magic);
  view.setUint32(HEADER.version, FORMAT_VERSION, true);
  view.setUint32(HEADER.imageLength, length, true);
  view.setUint32(HEADER.metadataLength, metadataBytes.length, true);
  view.setUint32(HEADER.entryCount, encoded.length, true);
  image.set(metadataBytes, HEADER_BYTES);
  let at = HEADER_BYTES + padded(metadataBytes.length);
  for (const entry of encoded) {
    view.setUint32(at, entry.path.length, true);
    view.setUint32(at + 4, entry.data.length, true);
    image.set(entry.path, at + ENTRY_HEADER_BYTES);
    at += ENTRY_HEADER_BYTES + padded(entry.path.length);
    image.set(entry.data, at);
    at += padded(entry.data.length);
  }
  view.setUint32(HEADER.crc32, crc32(image, CRC_START, length), true);
  return image;
}
