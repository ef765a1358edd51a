/**
 * item: what the store keeps per key, and the two sizes of an item.
 *
 * - memcachedSize: memcached 1.6's ITEM_ntotal — a 48-byte header, 8 bytes of CAS, the key
 *   and its NUL, the data and its CRLF, and 4 bytes of flags when they are not 0. An item
 *   whose memcachedSize passes ITEM_SIZE_MAX (1 MiB, memcached's -I default) is refused
 *   with "SERVER_ERROR object too large for cache", at exactly the lengths memcached
 *   refuses (a 1-byte key with flags 0 takes at most 1,048,516 bytes of data).
 * - storedSize: what the item costs here, counted against the memory cap and reported as
 *   the `bytes` stat: the key, the data and ITEM_OVERHEAD for the item record, its Map
 *   entry and the Uint8Array around the data. QuickJS spends about 256 bytes on those
 *   (measured: 20,000 items with 16-byte keys and 10-byte values took 282 bytes each), so
 *   a cache of small items stays within the cap in real memory, not only on paper.
 */

/** memcached's KEY_MAX_LENGTH. */
export const KEY_MAX_LENGTH = 250;
/** memcached's default item_size_max (-I 1m). */
export const ITEM_SIZE_MAX = 1024 * 1024;
/** The JS heap's cost of one item beyond its key and data (see above). */
export const ITEM_OVERHEAD = 256;

const MEMCACHED_HEADER = 48;
const MEMCACHED_CAS = 8;
const MEMCACHED_FLAGS = 4;

export interface Item {
  readonly key: string;
  readonly flags: number;
  readonly value: Uint8Array;
  /** Unix ms after which the item is gone; 0 = never. */
  deadline: number;
  /** The CAS unique: a new one for every change of the value. */
  readonly cas: number;
  /** storedSize(key, value), counted against the cap. */
  readonly size: number;
}

export function memcachedSize(keyLength: number, flags: number, dataLength: number): number {
  return MEMCACHED_HEADER + MEMCACHED_CAS + keyLength + 1 + dataLength + 2 + (flags !== 0 ? MEMCACHED_FLAGS : 0);
}

export function storedSize(keyLength: number, dataLength: number): number {
  return ITEM_OVERHEAD + keyLength + dataLength;
}

export function isExpired(item: Item, nowMs: number): boolean {
  return item.deadline !== 0 && nowMs >= item.deadline;
}
