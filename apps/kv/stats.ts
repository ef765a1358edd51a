/**
 * stats: the `stats` and `stats settings` listings (protocol.txt, "General-purpose
 * statistics" and "Settings statistics"), "STAT <name> <value>" lines in memcached's
 * order. Only what this server really measures is listed: no rusage, slab or thread
 * figures it does not have.
 */
import { ITEM_SIZE_MAX } from "./item.ts";
import { VERSION, type KvServer } from "./server.ts";

/** The guest runs one program; there is no other process id to report. */
const PID = 1;
/** QuickJS runs on x86_64. */
const POINTER_SIZE = 64;
/** One event loop serves every connection. */
const THREADS = 1;

export function generalStats(server: KvServer): Array<[string, string | number]> {
  const now = server.now();
  const { counters, connections, store } = server;
  return [
    ["pid", PID],
    ["uptime", Math.floor((now - server.startedAt) / 1000)],
    ["time", Math.floor(now / 1000)],
    ["version", VERSION],
    ["pointer_size", POINTER_SIZE],
    ["curr_connections", connections.current],
    ["total_connections", connections.total],
    ["cmd_get", counters.cmd_get],
    ["cmd_set", counters.cmd_set],
    ["cmd_flush", counters.cmd_flush],
    ["cmd_touch", counters.cmd_touch],
    ["get_hits", counters.get_hits],
    ["get_misses", counters.get_misses],
    ["get_expired", store.counters.expiredOnLookup],
    ["delete_misses", counters.delete_misses],
    ["delete_hits", counters.delete_hits],
    ["incr_misses", counters.incr_misses],
    ["incr_hits", counters.incr_hits],
    ["decr_misses", counters.decr_misses],
    ["decr_hits", counters.decr_hits],
    ["cas_misses", counters.cas_misses],
    ["cas_hits", counters.cas_hits],
    ["cas_badval", counters.cas_badval],
    ["touch_hits", counters.touch_hits],
    ["touch_misses", counters.touch_misses],
    ["store_too_large", counters.store_too_large],
    ["bytes_read", connections.bytesRead],
    ["bytes_written", connections.bytesWritten],
    ["limit_maxbytes", store.limitBytes],
    ["threads", THREADS],
    ["bytes", store.bytes],
    ["curr_items", store.itemCount],
    ["total_items", store.counters.totalItems],
    ["evictions", store.counters.evictions],
    ["reclaimed", store.counters.reclaimed],
  ];
}

export function settingsStats(server: KvServer): Array<[string, string | number]> {
  return [
    ["maxbytes", server.store.limitBytes],
    ["tcpport", server.port],
    ["verbosity", server.verbosity],
    ["evictions", "on"],
    ["cas_enabled", "yes"],
    ["item_size_max", ITEM_SIZE_MAX],
  ];
}
