/**
 * kv: a memcached-compatible server (the text protocol of protocol.txt), as a library that
 * does not touch skiff:net — main.ts joins it to the network; Node's tests drive it with
 * in-memory streams and run it on node:net next to Debian's memcached.
 *
 *   request_parser → dispatch → retrieval | storage | arithmetic | keyed | admin → reply
 *                                     ↘ store (LRU, memory cap, expiry, CAS) ↙
 */
export { KvServer, VERSION, type KvServerOptions } from "./server.ts";
export { serveConnection, type ByteStream } from "./session.ts";
export { Store, MIN_LIMIT_BYTES } from "./store.ts";
export { RequestParser } from "./request_parser.ts";
