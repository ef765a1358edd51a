/**
 * keyed: delete and touch (protocol.txt, "Deletion" and "Touch").
 *
 *   delete <key> [noreply]             → DELETED | NOT_FOUND
 *   touch <key> <exptime> [noreply]    → TOUCHED | NOT_FOUND
 *
 * delete also takes memcached's legacy hold time when it is "0" (`delete k 0`,
 * `delete k 0 noreply`); anything else there is refused with memcached's usage line.
 */
import { wordSigned32 } from "./c_numbers.ts";
import { deadlineOf } from "./exptime.ts";
import { KEY_MAX_LENGTH } from "./item.ts";
import type { Reply } from "./reply.ts";
import type { KvServer } from "./server.ts";

const DELETE_USAGE = "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]";

/** `words`: delete <key> [0] [noreply] (the dispatcher checked there are 2 to 4). */
export function deleteKey(words: readonly string[], server: KvServer, reply: Reply): void {
  const noreply = words.length > 2 && words[words.length - 1] === "noreply";
  if (words.length > 2) {
    const holdIsZero = words[2] === "0";
    const valid = (words.length === 3 && (holdIsZero || noreply)) || (words.length === 4 && holdIsZero && noreply);
    if (!valid) return reply.status(DELETE_USAGE, noreply);
  }
  const key = words[1]!;
  if (key.length > KEY_MAX_LENGTH) return reply.status("CLIENT_ERROR bad command line format", noreply);
  if (server.store.delete(key)) {
    server.counters.delete_hits++;
    reply.status("DELETED", noreply);
  } else {
    server.counters.delete_misses++;
    reply.status("NOT_FOUND", noreply);
  }
}

/** `words`: touch <key> <exptime> [noreply] (the dispatcher checked there are 3 or 4). */
export function touch(words: readonly string[], server: KvServer, reply: Reply): void {
  const noreply = words[words.length - 1] === "noreply";
  const key = words[1]!;
  if (key.length > KEY_MAX_LENGTH) return reply.status("CLIENT_ERROR bad command line format", noreply);
  const exptime = wordSigned32(words[2]!);
  if (exptime === undefined) return reply.status("CLIENT_ERROR invalid exptime argument", noreply);
  server.counters.cmd_touch++;
  if (server.store.touch(key, deadlineOf(exptime, server.now())) !== undefined) {
    server.counters.touch_hits++;
    reply.status("TOUCHED", noreply);
  } else {
    server.counters.touch_misses++;
    reply.status("NOT_FOUND", noreply);
  }
}
