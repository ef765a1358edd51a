/**
 * block_errors: the named errors BlockDevice's promises reject with. Expected outcomes of
 * disk I/O, each its own class so callers can tell them apart with instanceof.
 */

import type { BlockStatus } from "../hal/devices.ts";

/** The device completed the request with an error (virtio-blk VIRTIO_BLK_S_IOERR / UNSUPP). */
export class BlockIoError extends Error {
  override readonly name = "BlockIoError";
  constructor(readonly device: string, readonly operation: "read" | "write" | "flush", readonly sector: number, readonly status: Exclude<BlockStatus, "ok">) {
    super(`Cannot ${operation} ${device}${operation === "flush" ? "" : ` at sector ${sector}`}: the device reported ${status}`);
  }
}

/** A write to a disk that refuses writes. */
export class BlockReadOnlyError extends Error {
  override readonly name = "BlockReadOnlyError";
  constructor(readonly device: string, readonly sector: number) {
    super(`Cannot write ${device} at sector ${sector}: the disk is read-only`);
  }
}

/** A request outside the disk, or of a length that is not whole sectors. */
export class BlockRangeError extends RangeError {
  override readonly name = "BlockRangeError";
}
