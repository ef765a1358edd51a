/**
 * dns/resolver: a stub resolver for A records (RFC 1035 §7, RFC 1123 §6.1.3), pure: the
 * caller passes the time in and carries the datagrams (UDP to port 53 of each server).
 *
 * A query goes to the servers in turn: attempt i asks servers[i mod n] and waits
 * timeoutMs · 2^⌊i/n⌋, for `rounds` rounds (so 1 s, 1 s, 2 s, 2 s, 4 s, 4 s with two servers).
 * An answer is taken only from a server the query asked, from port 53, with the query's
 * message id (random, RFC 5452 §9.2) and the same question; anything else is counted and
 * dropped. SERVFAIL/REFUSED and truncated answers move on to the next server at once;
 * NXDOMAIN ends the query. CNAME chains in the answer are followed (at most 8 links).
 * Answers are cached for their smallest TTL (cache.ts). Results wait in `take(id)` or
 * go to `onResult`.
 */
import type { Ipv4Address, RandomFill, UdpEndpoint } from "../contracts.ts";
import { DNS_PORT, DnsClass, DnsRcode, DnsType, DnsWireError, dnsQuery, emitDns, encodeName, parseDns, type DnsRepr } from "../wire/dns.ts";
import { DnsCache } from "./cache.ts";
import { BadHostname, DnsServerFailure, DnsTimeout, NameNotFound, NoAddress, NoDnsServer, type DnsError } from "./errors.ts";

const NOTHING_TO_SEND: readonly DnsDatagram[] = Object.freeze([]);

export type DnsResult =
  | { readonly ok: true; readonly addresses: readonly Ipv4Address[]; readonly fromCache: boolean }
  | { readonly ok: false; readonly error: DnsError };

/** One datagram to send from any local port to `dst` (a server, port 53). */
export interface DnsDatagram {
  readonly dst: UdpEndpoint;
  readonly payload: Uint8Array;
}

export interface DnsResolverOptions {
  readonly servers: readonly Ipv4Address[];
  readonly randomFill: RandomFill;
  /** The first attempt's wait; doubled each round through the servers. Default 1000 ms. */
  readonly timeoutMs?: number;
  /** Rounds through the server list. Default 3. */
  readonly rounds?: number;
  /** Names cached at most. Default 256. */
  readonly cacheSize?: number;
  /** TTLs above this are cut to it. Default 3600 s. */
  readonly maxTtlSeconds?: number;
  /** Queries in flight at most; more fail at once with DnsServerFailure(-1). Default 64. */
  readonly maxPending?: number;
  /** When given, each result is handed here and not kept for take(). */
  readonly onResult?: (id: number, name: string, result: DnsResult) => void;
}

export interface DnsResolverStats {
  readonly tx: { queries: number };
  readonly rx: { answers: number; malformed: number; notForUs: number };
}

interface Pending {
  readonly id: number;
  readonly name: string;
  readonly messageId: number;
  readonly payload: Uint8Array;
  /** Attempts sent so far. */
  attempt: number;
  sendAt: number;
  readonly asked: Set<Ipv4Address>;
  /** The last error rcode seen, for DnsServerFailure when all servers refuse. */
  rcode: number | undefined;
}

const MAX_CNAME_CHAIN = 8;
const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export class DnsResolver {
  readonly stats: DnsResolverStats = { tx: { queries: 0 }, rx: { answers: 0, malformed: 0, notForUs: 0 } };
  readonly cache: DnsCache;
  readonly #options: DnsResolverOptions;
  #servers: readonly Ipv4Address[];
  readonly #pending = new Map<number, Pending>();
  readonly #results = new Map<number, { name: string; result: DnsResult }>();
  #nextId = 1;

  constructor(options: DnsResolverOptions) {
    this.#options = options;
    this.#servers = [...options.servers];
    this.cache = new DnsCache(options.cacheSize ?? 256, options.maxTtlSeconds ?? 3600);
  }

  get servers(): readonly Ipv4Address[] { return this.#servers; }
  /** New servers (a DHCP lease changed); queries in flight move to them on their next attempt. */
  setServers(servers: readonly Ipv4Address[]): void { this.#servers = [...servers]; }

  /** Starts a lookup of `hostname`'s IPv4 addresses; returns its id for take(). */
  query(now: number, hostname: string): number {
    const id = this.#nextId++;
    const name = hostname.replace(/\.$/, "");
    if (DOTTED_QUAD.test(name)) {
      const address = name.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
      this.#finish(id, name, { ok: true, addresses: [address], fromCache: false });
      return id;
    }
    try {
      if (name.length === 0) throw new RangeError("the name is empty");
      encodeName(name);
    } catch (error) {
      this.#finish(id, hostname, { ok: false, error: new BadHostname(hostname, (error as Error).message) });
      return id;
    }
    const cached = this.cache.get(now, name);
    if (cached !== undefined) {
      this.#finish(id, name, { ok: true, addresses: cached.addresses, fromCache: true });
      return id;
    }
    if (this.#servers.length === 0) {
      this.#finish(id, name, { ok: false, error: new NoDnsServer(name) });
      return id;
    }
    if (this.#pending.size >= (this.#options.maxPending ?? 64)) {
      this.#finish(id, name, { ok: false, error: new DnsServerFailure(name, -1) });
      return id;
    }
    const messageId = this.#freshMessageId();
    this.#pending.set(id, { id, name, messageId, payload: emitDns(dnsQuery(messageId, name)), attempt: 0, sendAt: now, asked: new Set(), rcode: undefined });
    return id;
  }

  /** The result of query `id` once it is known, forgetting it; undefined while pending. */
  take(id: number): DnsResult | undefined {
    const done = this.#results.get(id);
    if (done === undefined) return undefined;
    this.#results.delete(id);
    return done.result;
  }

  /** Queries still waiting for an answer. */
  get pending(): number { return this.#pending.size; }

  pollAt(_now: number): number {
    if (this.#pending.size === 0) return Infinity; // every loop turn, almost always: no iterator to make
    let next = Infinity;
    for (const query of this.#pending.values()) next = Math.min(next, query.sendAt);
    return next;
  }

  /** Sends due (re)transmissions and ends queries whose last attempt timed out. */
  output(now: number): readonly DnsDatagram[] {
    if (this.#pending.size === 0) return NOTHING_TO_SEND; // every loop turn, almost always: no arrays to make
    const out: DnsDatagram[] = [];
    const timeout = this.#options.timeoutMs ?? 1000;
    for (const query of [...this.#pending.values()]) {
      if (now < query.sendAt) continue;
      const servers = this.#servers;
      const attempts = servers.length * (this.#options.rounds ?? 3);
      if (query.attempt >= attempts || servers.length === 0) {
        const error = query.rcode !== undefined ? new DnsServerFailure(query.name, query.rcode) : new DnsTimeout(query.name, query.attempt);
        this.#complete(query, { ok: false, error });
        continue;
      }
      const server = servers[query.attempt % servers.length]!;
      const round = Math.floor(query.attempt / servers.length);
      query.asked.add(server);
      query.attempt++;
      query.sendAt = now + timeout * 2 ** round;
      this.stats.tx.queries++;
      out.push({ dst: { address: server, port: DNS_PORT }, payload: query.payload });
    }
    return out;
  }

  /** A UDP payload from `from` to the port the queries were sent from. */
  input(now: number, payload: Uint8Array, from: UdpEndpoint): void {
    const repr = parseDns(payload);
    if (repr instanceof DnsWireError) { this.stats.rx.malformed++; return; }
    const query = this.#match(repr, from);
    if (query === undefined) { this.stats.rx.notForUs++; return; }
    this.stats.rx.answers++;
    const rcode = repr.flags.rcode;
    if (rcode === DnsRcode.NXDomain) return this.#complete(query, { ok: false, error: new NameNotFound(query.name) });
    const found = rcode === DnsRcode.NoError ? addressesFor(repr, query.name) : undefined;
    if (found === undefined || (found.addresses.length === 0 && repr.flags.truncated)) {
      // SERVFAIL, REFUSED, … or a truncated answer: ask the next server now.
      query.rcode = rcode === DnsRcode.NoError ? DnsRcode.ServFail : rcode;
      query.sendAt = now;
      return;
    }
    if (found.addresses.length === 0) return this.#complete(query, { ok: false, error: new NoAddress(query.name) });
    this.cache.put(now, query.name, found.addresses, found.ttl);
    this.#complete(query, { ok: true, addresses: found.addresses, fromCache: false });
  }

  #match(repr: DnsRepr, from: UdpEndpoint): Pending | undefined {
    if (!repr.flags.response || from.port !== DNS_PORT || repr.questions.length !== 1) return undefined;
    const question = repr.questions[0]!;
    for (const query of this.#pending.values()) {
      if (query.messageId === repr.id && query.asked.has(from.address) && question.type === DnsType.A &&
          question.class === DnsClass.IN && question.name.toLowerCase() === query.name.toLowerCase()) return query;
    }
    return undefined;
  }

  #complete(query: Pending, result: DnsResult): void {
    this.#pending.delete(query.id);
    this.#finish(query.id, query.name, result);
  }

  #finish(id: number, name: string, result: DnsResult): void {
    if (this.#options.onResult !== undefined) this.#options.onResult(id, name, result);
    else this.#results.set(id, { name, result });
  }

  #freshMessageId(): number {
    const bytes = new Uint8Array(2);
    for (;;) {
      this.#options.randomFill(bytes);
      const id = (bytes[0]! << 8) | bytes[1]!;
      if (![...this.#pending.values()].some((query) => query.messageId === id)) return id;
    }
  }
}

/** The A records for `name`, following CNAMEs; the smallest TTL on the way. */
function addressesFor(repr: DnsRepr, name: string): { addresses: Ipv4Address[]; ttl: number } {
  let target = name.toLowerCase();
  let ttl = Infinity;
  for (let link = 0; link <= MAX_CNAME_CHAIN; link++) {
    const records = repr.answers.filter((record) => record.name.toLowerCase() === target && record.class === DnsClass.IN);
    const addresses = records.filter((record) => record.address !== undefined);
    if (addresses.length > 0) {
      for (const record of addresses) ttl = Math.min(ttl, ttlSeconds(record.ttl));
      return { addresses: addresses.map((record) => record.address!), ttl };
    }
    const cname = records.find((record) => record.canonicalName !== undefined);
    if (cname === undefined) break;
    ttl = Math.min(ttl, ttlSeconds(cname.ttl));
    target = cname.canonicalName!.toLowerCase();
  }
  return { addresses: [], ttl: 0 };
}

/** RFC 2181 §8: a TTL with the top bit set is treated as zero. */
function ttlSeconds(ttl: number): number {
  return ttl > 0x7fffffff ? 0 : ttl;
}
