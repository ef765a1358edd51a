/**
 * server: what every connection of one kv server shares — the store, the counters behind
 * `stats`, the settings — and nothing about sockets, so it runs in Node's tests as it
 * runs in the guest. Commands run one at a time on the one event loop, so each is atomic.
 */
import { MIN_LIMIT_BYTES, Store } from "./store.ts";

/** The memcached release whose text protocol this follows, then what this is. */
export const VERSION = "1.6.18-skiff-kv";

/** Counters of commands and their outcomes, by memcached's stat names (protocol.txt, "General-purpose statistics"). */
export interface CommandCounters {
  cmd_get: number;
  cmd_set: number;
  cmd_flush: number;
  cmd_touch: number;
  get_hits: number;
  get_misses: number;
  delete_misses: number;
  delete_hits: number;
  incr_misses: number;
  incr_hits: number;
  decr_misses: number;
  decr_hits: number;
  cas_misses: number;
  cas_hits: number;
  cas_badval: number;
  touch_hits: number;
  touch_misses: number;
  store_too_large: number;
}

export interface ConnectionCounters {
  current: number;
  total: number;
  bytesRead: number;
  bytesWritten: number;
}

export interface KvServerOptions {
  /** The memory cap, bytes: at least MIN_LIMIT_BYTES, which holds the largest item. */
  readonly limitBytes: number;
  /** The clock, Unix ms. */
  readonly now: () => number;
  /** The TCP port served, for `stats settings`. */
  readonly port: number;
  /** Where log lines go (the console in the guest). */
  readonly log: (line: string) => void;
  readonly verbosity?: number;
}

function zeroCounters(): CommandCounters {
  return {
    cmd_get: 0, cmd_set: 0, cmd_flush: 0, cmd_touch: 0, get_hits: 0, get_misses: 0, delete_misses: 0, delete_hits: 0,
    incr_misses: 0, incr_hits: 0, decr_misses: 0, decr_hits: 0, cas_misses: 0, cas_hits: 0, cas_badval: 0,
    touch_hits: 0, touch_misses: 0, store_too_large: 0,
  };
}

export class KvServer {
  readonly store: Store;
  readonly port: number;
  readonly startedAt: number;
  readonly log: (line: string) => void;
  counters: CommandCounters = zeroCounters();
  readonly connections: ConnectionCounters = { current: 0, total: 0, bytesRead: 0, bytesWritten: 0 };
  /** `verbosity` (0–2): 1 logs connections and their failures, 2 every command line too. */
  verbosity: number;

  constructor(options: KvServerOptions) {
    if (options.limitBytes < MIN_LIMIT_BYTES) {
      throw new RangeError(`Cannot serve with a cap of ${options.limitBytes} bytes: it must hold the largest item (${MIN_LIMIT_BYTES} bytes)`);
    }
    this.store = new Store({ limitBytes: options.limitBytes, now: options.now });
    this.port = options.port;
    this.log = options.log;
    this.verbosity = options.verbosity ?? 0;
    this.startedAt = options.now();
  }

  now(): number {
    return this.store.now();
  }

  /** `stats reset`: counters back to 0; what is current (items, bytes, connections) stays. */
  resetCounters(): void {
    this.counters = zeroCounters();
    this.store.resetCounters();
    this.connections.total = 0;
    this.connections.bytesRead = 0;
    this.connections.bytesWritten = 0;
  }
}
