/**
 * bytes: big-endian (network order) reads and writes on a Uint8Array. The packet views use
 * these instead of a DataView per packet: no allocation per view. Callers check lengths
 * first (the checked constructors do), so these never see an index outside the array.
 * The kernel bundle has readU16's and readU32's calls written out (host/build/inline.ts):
 * keep each a single return expression.
 */

export function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

export function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

export function writeU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 8;
  bytes[at + 1] = value;
}

export function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = value >>> 16;
  bytes[at + 2] = value >>> 8;
  bytes[at + 3] = value;
}

/** Little-endian, for the virtio-net header in front of every frame (virtio 1.x §1.4). */
export function writeU16le(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value;
  bytes[at + 1] = value >>> 8;
}

/** Throws RangeError when an emit would write outside `bytes`: a caller's bug, not bad input. */
export function checkRoom(bytes: Uint8Array, offset: number, length: number, what: string): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + length > bytes.length) {
    throw new RangeError(`Cannot emit ${what}: ${length} bytes at offset ${offset} do not fit in ${bytes.length}`);
  }
}
