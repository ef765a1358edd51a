/**
 * storage: set, add, replace, append, prepend and cas once their data block has arrived
 * (protocol.txt, "Storage commands"), and the storage lines the parser refused.
 *
 *   set      store                                  → STORED
 *   add      only if the key holds nothing          → STORED | NOT_STORED (the old item becomes most recent)
 *   replace  only if the key holds something        → STORED | NOT_STORED
 *   append   old data + new; flags/exptime ignored  → STORED | NOT_STORED (no item, or the sum too large)
 *   prepend  new data + old; likewise               → STORED | NOT_STORED
 *   cas      only if the unique is still the item's → STORED | EXISTS | NOT_FOUND
 *
 * Every command whose block was read counts in cmd_set, a bad chunk included (memcached
 * counts before it checks the block's end). An item too large counts in store_too_large
 * instead, and a `set` of one drops the key's old value: memcached will not leave stale
 * data behind a set that failed.
 */
import { deadlineOf } from "./exptime.ts";
import { ITEM_SIZE_MAX, memcachedSize } from "./item.ts";
import type { Reply } from "./reply.ts";
import type { RefusedRequest, StoreRequest } from "./request.ts";
import type { KvServer } from "./server.ts";

export function store(request: StoreRequest, server: KvServer, reply: Reply): void {
  server.counters.cmd_set++;
  if (request.badChunk) return reply.status("CLIENT_ERROR bad data chunk", request.noreply);
  reply.status(outcome(request, server), request.noreply);
}

export function refused(request: RefusedRequest, server: KvServer, reply: Reply): void {
  if (request.tooLarge !== undefined) {
    server.counters.store_too_large++;
    if (request.tooLarge.command === "set") server.store.delete(request.tooLarge.key);
  }
  reply.status(request.reply, request.noreply);
}

function outcome(request: StoreRequest, server: KvServer): string {
  const { store, counters } = server;
  const { key, flags, data } = request;
  const deadline = deadlineOf(request.exptime, server.now());
  switch (request.command) {
    case "set":
      store.set(key, flags, deadline, data);
      return "STORED";
    case "add":
      if (store.get(key) !== undefined) return "NOT_STORED";
      store.set(key, flags, deadline, data);
      return "STORED";
    case "replace":
      if (store.peek(key) === undefined) return "NOT_STORED";
      store.set(key, flags, deadline, data);
      return "STORED";
    case "append":
    case "prepend": {
      const old = store.peek(key);
      if (old === undefined) return "NOT_STORED";
      const length = old.value.length + data.length;
      if (memcachedSize(key.length, old.flags, length) > ITEM_SIZE_MAX) return "NOT_STORED";
      const joined = new Uint8Array(length);
      const [first, second] = request.command === "append" ? [old.value, data] : [data, old.value];
      joined.set(first);
      joined.set(second, first.length);
      store.set(key, old.flags, old.deadline, joined);
      return "STORED";
    }
    case "cas": {
      const old = store.peek(key);
      if (old === undefined) {
        counters.cas_misses++;
        return "NOT_FOUND";
      }
      if (BigInt(old.cas) !== request.casUnique) {
        counters.cas_badval++;
        return "EXISTS";
      }
      counters.cas_hits++;
      store.set(key, flags, deadline, data);
      return "STORED";
    }
  }
}
