/**
 * admin: the commands about the server rather than a key (protocol.txt, "Statistics" and
 * "Other commands").
 *
 *   flush_all [delay] [noreply]  → OK: every item goes now, or after delay (an exptime)
 *   version                      → VERSION <version>
 *   verbosity <level> [noreply]  → OK
 *   stats                        → STAT lines, END
 *   stats settings               → STAT lines, END
 *   stats reset                  → RESET
 *
 * Other `stats` arguments (items, slabs, sizes, conns…) describe memcached's slab
 * allocator and threads, which this server does not have: they get "ERROR", as memcached
 * answers a stats argument it does not know.
 */
import { wordSigned32, wordUnsigned32 } from "./c_numbers.ts";
import { deadlineOf } from "./exptime.ts";
import type { Reply } from "./reply.ts";
import { VERSION, type KvServer } from "./server.ts";
import { generalStats, settingsStats } from "./stats.ts";

/** memcached's MAX_VERBOSITY_LEVEL. */
const MAX_VERBOSITY = 2;

/** `words`: flush_all [delay] [noreply] (the dispatcher checked there are 1 to 3). */
export function flushAll(words: readonly string[], server: KvServer, reply: Reply): void {
  const noreply = words[words.length - 1] === "noreply";
  let delay = 0;
  if (words.length !== (noreply ? 2 : 1)) {
    const parsed = wordSigned32(words[1]!);
    if (parsed === undefined) return reply.status("CLIENT_ERROR invalid exptime argument", noreply);
    delay = parsed;
  }
  server.counters.cmd_flush++;
  server.store.flush(delay > 0 ? deadlineOf(delay, server.now()) : server.now());
  reply.status("OK", noreply);
}

export function version(reply: Reply): void {
  reply.line(`VERSION ${VERSION}`);
}

/** `words`: verbosity <level> [noreply] (the dispatcher checked there are 2 or 3). */
export function verbosity(words: readonly string[], server: KvServer, reply: Reply): void {
  const noreply = words[words.length - 1] === "noreply";
  const level = wordUnsigned32(words[1]!);
  if (level === undefined) return reply.status("CLIENT_ERROR bad command line format", noreply);
  server.verbosity = Math.min(level, MAX_VERBOSITY);
  reply.status("OK", noreply);
}

export function stats(words: readonly string[], server: KvServer, reply: Reply): void {
  const argument = words[1];
  if (argument === undefined) return listing(generalStats(server), reply);
  if (argument === "settings") return listing(settingsStats(server), reply);
  if (argument === "reset") {
    server.resetCounters();
    return reply.line("RESET");
  }
  reply.line("ERROR");
}

function listing(entries: ReadonlyArray<[string, string | number]>, reply: Reply): void {
  for (const [name, value] of entries) reply.line(`STAT ${name} ${value}`);
  reply.line("END");
}
