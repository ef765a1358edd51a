/**
 * arithmetic: incr and decr <key> <value> [noreply] (protocol.txt, "Increment/Decrement").
 * The item's data is read as a 64-bit unsigned decimal (C's strtoull, as memcached does:
 * " 12", "+5" and "1 2" are numbers; "12a", "-1" and an empty value are not); incr wraps
 * at 2^64, decr stops at 0. The reply is the new value.
 *
 * Like memcached, a result no longer than the stored data is written in place and padded
 * with spaces to the old length ("10" decr 1 stores "9 "), which protocol.txt allows; a
 * longer one becomes a new item with the same flags and deadline. Either way the item
 * gets a new CAS unique and becomes the most recently used.
 */
import { parseUnsigned64 } from "./c_numbers.ts";
import { KEY_MAX_LENGTH } from "./item.ts";
import { encodeLatin1 } from "./latin1.ts";
import type { Reply } from "./reply.ts";
import type { KvServer } from "./server.ts";

const U64_MASK = (1n << 64n) - 1n;
const SPACE = 0x20;

/** `words`: incr|decr <key> <value> [noreply] (the dispatcher checked there are 3 or 4). */
export function incrementOrDecrement(words: readonly string[], increment: boolean, server: KvServer, reply: Reply): void {
  const noreply = words[words.length - 1] === "noreply";
  const key = words[1]!;
  if (key.length > KEY_MAX_LENGTH) return reply.status("CLIENT_ERROR bad command line format", noreply);
  const delta = parseUnsigned64(encodeLatin1(words[2]!));
  if (delta === undefined) return reply.status("CLIENT_ERROR invalid numeric delta argument", noreply);
  const { store, counters } = server;
  const item = store.get(key);
  if (item === undefined) {
    if (increment) counters.incr_misses++;
    else counters.decr_misses++;
    return reply.status("NOT_FOUND", noreply);
  }
  const current = item.value.length === 0 ? undefined : parseUnsigned64(item.value);
  if (current === undefined) return reply.status("CLIENT_ERROR cannot increment or decrement non-numeric value", noreply);
  const result = increment ? (current + delta) & U64_MASK : delta > current ? 0n : current - delta;
  if (increment) counters.incr_hits++;
  else counters.decr_hits++;
  const text = result.toString();
  if (text.length <= item.value.length) {
    const padded = new Uint8Array(item.value.length).fill(SPACE);
    padded.set(encodeLatin1(text));
    store.rewrite(item, padded);
  } else {
    store.set(key, item.flags, item.deadline, encodeLatin1(text));
  }
  reply.status(text, noreply);
}
