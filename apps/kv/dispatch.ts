/**
 * dispatch: runs one request against the server and writes its answer, choosing the
 * command by name and refusing a wrong number of words with "ERROR" before the command
 * sees them, as memcached 1.6's process_command_ascii does (a refusal noreply cannot
 * silence). The outcome says whether the connection goes on:
 *   "open"     read the next request
 *   "close"    quit: send the answers gathered so far, then close
 *   "hang-up"  a line too long, or an HTTP request line: close at once, dropping the
 *              answers not yet sent, as memcached does (it goes straight to conn_closing)
 *
 * Not served, and answered "ERROR" like any unknown command: the meta commands (mg, ms,
 * md, ma, mn, me), cache_memlimit, shutdown, slabs, lru, lru_crawler and watch.
 */
import { flushAll, stats, verbosity, version } from "./admin.ts";
import { incrementOrDecrement } from "./arithmetic.ts";
import { deleteKey, touch } from "./keyed.ts";
import type { Reply } from "./reply.ts";
import type { Request } from "./request.ts";
import { get, getAndTouch } from "./retrieval.ts";
import type { KvServer } from "./server.ts";
import { refused, store } from "./storage.ts";

export type Outcome = "open" | "close" | "hang-up";

/** Command names memcached picks by first letter, before its check for an HTTP request line. */
const FIRST_LETTER_FAMILIES = new Set(["g", "s", "a", "c", "i", "d", "t"]);

/** count is in [min, max]: a function, not a closure made per command. */
function within(count: number, min: number, max: number): boolean {
  return count >= min && count <= max;
}

export function execute(request: Request, server: KvServer, reply: Reply): Outcome {
  switch (request.type) {
    case "close":
      if (server.verbosity >= 1) server.log(`kv: hanging up: ${request.reason}`);
      return "hang-up";
    case "refused":
      refused(request, server, reply);
      return "open";
    case "store":
      store(request, server, reply);
      return "open";
    case "command":
      return command(request.words, server, reply);
  }
}

function command(words: readonly string[], server: KvServer, reply: Reply): Outcome {
  const name = words[0];
  const count = words.length;
  if (name === undefined || name.length < 2) {
    reply.line("ERROR");
    return "open";
  }
  switch (name) {
    case "get":
    case "gets":
      if (count >= 2) get(words, name === "gets", server, reply);
      else reply.line("ERROR");
      return "open";
    case "gat":
    case "gats":
      if (count >= 2) getAndTouch(words, name === "gats", server, reply);
      else reply.line("ERROR");
      return "open";
    case "incr":
    case "decr":
      if (within(count, 3, 4)) incrementOrDecrement(words, name === "incr", server, reply);
      else reply.line("ERROR");
      return "open";
    case "delete":
      if (within(count, 2, 4)) deleteKey(words, server, reply);
      else reply.line("ERROR");
      return "open";
    case "touch":
      if (within(count, 3, 4)) touch(words, server, reply);
      else reply.line("ERROR");
      return "open";
    case "flush_all":
      if (within(count, 1, 3)) flushAll(words, server, reply);
      else reply.line("ERROR");
      return "open";
    case "verbosity":
      if (within(count, 2, 3)) verbosity(words, server, reply);
      else reply.line("ERROR");
      return "open";
    case "version":
      version(reply);
      return "open";
    case "stats":
      stats(words, server, reply);
      return "open";
    case "quit":
      return "close";
    default: {
      const isMeta = name.length === 2 && name[0] === "m";
      if (!isMeta && !FIRST_LETTER_FAMILIES.has(name[0]!) && words[count - 1]!.startsWith("HTTP/")) {
        if (server.verbosity >= 1) server.log("kv: hanging up: an HTTP request line");
        return "hang-up";
      }
      reply.line("ERROR");
      return "open";
    }
  }
}
