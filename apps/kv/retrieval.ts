/**
 * retrieval: get, gets, gat and gats (protocol.txt, "Retrieval command" and "Get And
 * Touch"). For each key found: "VALUE <key> <flags> <bytes>[ <cas unique>]\r\n<data>\r\n";
 * then "END\r\n". A key longer than 250 bytes refuses the whole command with
 * "CLIENT_ERROR bad command line format" before any lookup. (memcached 1.6.18 checks keys
 * as it goes and, depending on what came before, sends the error, or drops it and sends
 * the values found and END; refusing the command whole is the consistent reading.)
 */
import { parseSigned32 } from "./c_numbers.ts";
import { deadlineOf } from "./exptime.ts";
import { KEY_MAX_LENGTH, type Item } from "./item.ts";
import { encodeLatin1 } from "./latin1.ts";
import type { Reply } from "./reply.ts";
import type { KvServer } from "./server.ts";

/** get/gets: `words` are the command's, keys from words[1]. */
export function get(words: readonly string[], withCas: boolean, server: KvServer, reply: Reply): void {
  // The keys are words[1…], read in place: no slice, no callback per key (one get per request is the common case).
  if (!keysFit(words, 1, reply)) return;
  const counters = server.counters;
  for (let i = 1; i < words.length; i++) {
    const key = words[i]!;
    counters.cmd_get++;
    const item = server.store.get(key);
    if (item === undefined) {
      counters.get_misses++;
    } else {
      counters.get_hits++;
      value(item, withCas, reply);
    }
  }
  reply.line("END");
}

/** gat/gats <exptime> <key>*: get and touch, counted as touches. */
export function getAndTouch(words: readonly string[], withCas: boolean, server: KvServer, reply: Reply): void {
  const exptime = parseSigned32(encodeLatin1(words[1]!));
  if (exptime === undefined) return reply.line("CLIENT_ERROR invalid exptime argument");
  if (!keysFit(words, 2, reply)) return;
  const counters = server.counters;
  const deadline = deadlineOf(exptime, server.now());
  for (let i = 2; i < words.length; i++) {
    const key = words[i]!;
    counters.cmd_touch++;
    const item = server.store.touch(key, deadline);
    if (item === undefined) {
      counters.touch_misses++;
    } else {
      counters.touch_hits++;
      value(item, withCas, reply);
    }
  }
  reply.line("END");
}

/** Whether the keys, words[first…], are all short enough; else the error is the reply. */
function keysFit(words: readonly string[], first: number, reply: Reply): boolean {
  for (let i = first; i < words.length; i++) {
    if (words[i]!.length > KEY_MAX_LENGTH) {
      reply.line("CLIENT_ERROR bad command line format");
      return false;
    }
  }
  return true;
}

function value(item: Item, withCas: boolean, reply: Reply): void {
  reply.line(`VALUE ${item.key} ${item.flags} ${item.value.length}${withCas ? ` ${item.cas}` : ""}`);
  reply.data(item.value);
}
