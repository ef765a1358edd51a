/**
 * The stub resolver with the time passed in. Servers answer with dnsmasq's captured
 * answers (www.skiff.test A 93.184.216.34 TTL 300, a CNAME chain, NXDOMAIN) with the
 * query's id written in.
 */
import test from "ava";
import { hexFixture, ip } from "../../helpers/net_hex_fixtures.ts";
import { BadHostname, DnsResolver, DnsServerFailure, DnsTimeout, NameNotFound, NoAddress, NoDnsServer, type DnsDatagram, type DnsResult } from "../../../kernel-ts/net/dns/mod.ts";
import { DnsRcode, DnsWireError, emitDns, parseDns, type DnsRepr } from "../../../kernel-ts/net/wire/dns.ts";

const SERVER_A = ip("10.77.200.1");
const SERVER_B = ip("10.77.200.5");
const WWW = ip("93.184.216.34");
const S = 1000;
const ANSWER_WWW = hexFixture("dns_answer_www.hex");
const ANSWER_CNAME = hexFixture("dns_answer_cname.hex");
const ANSWER_NXDOMAIN = hexFixture("dns_answer_nxdomain.hex");
const ANSWER_MULTI = hexFixture("dns_answer_multi.hex");

function parse(bytes: Uint8Array): DnsRepr {
  const repr = parseDns(bytes);
  if (repr instanceof DnsWireError) throw new Error(repr.message);
  return repr;
}

/** `captured` with the id of the query `to`. */
function answer(to: DnsDatagram, captured: Uint8Array): Uint8Array {
  const bytes = captured.slice();
  bytes.set(to.payload.subarray(0, 2), 0);
  return bytes;
}
function from(address: number, port = 53) { return { address, port }; }

/** A seeded xorshift32 random source; the seed is in the test title's output on failure. */
function seeded(seed: number) {
  let state = seed >>> 0 || 1;
  return (bytes: Uint8Array): void => {
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
      bytes[i] = state & 0xff;
    }
  };
}

function resolver(servers = [SERVER_A], seed = 7, extra: Partial<ConstructorParameters<typeof DnsResolver>[0]> = {}) {
  return new DnsResolver({ servers, randomFill: seeded(seed), ...extra });
}

function one(dns: DnsResolver, now: number): DnsDatagram {
  const out = dns.output(now);
  if (out.length !== 1) throw new Error(`expected one query at ${now} ms, got ${out.length}`);
  return out[0]!;
}

function failed(t: { fail: (message: string) => void }, result: DnsResult | undefined): Error {
  if (result === undefined || result.ok) { t.fail(`expected an error, got ${JSON.stringify(result)}`); throw new Error("unreachable"); }
  return result.error;
}

test("a query for www.skiff.test is sent to the server and dnsmasq's answer resolves it", (t) => {
  const dns = resolver();
  const id = dns.query(0, "www.skiff.test");
  t.is(dns.take(id), undefined);
  t.is(dns.pollAt(0), 0);
  const sent = one(dns, 0);
  t.deepEqual(sent.dst, from(SERVER_A));
  const query = parse(sent.payload);
  t.deepEqual(query.questions, [{ name: "www.skiff.test", type: 1, class: 1 }]);
  t.true(query.flags.recursionDesired);
  dns.input(20, answer(sent, ANSWER_WWW), from(SERVER_A));
  t.deepEqual(dns.take(id), { ok: true, addresses: [WWW], fromCache: false });
  t.is(dns.take(id), undefined, "a result is taken once");
  t.is(dns.pollAt(20), Infinity);
});

test("two addresses; a CNAME chain is followed to its A record", (t) => {
  const dns = resolver();
  const multi = dns.query(0, "multi.skiff.test");
  dns.input(1, answer(one(dns, 0), ANSWER_MULTI), from(SERVER_A));
  t.deepEqual(dns.take(multi), { ok: true, addresses: [ip("10.0.0.7"), ip("10.0.0.8")], fromCache: false });
  const alias = dns.query(2, "Alias.Skiff.Test");
  dns.input(3, answer(one(dns, 2), ANSWER_CNAME), from(SERVER_A));
  t.deepEqual(dns.take(alias), { ok: true, addresses: [WWW], fromCache: false });
});

test("NXDOMAIN is NameNotFound, at once; NOERROR without an A record is NoAddress", (t) => {
  const dns = resolver();
  const id = dns.query(0, "nosuch.skiff.test");
  dns.input(1, answer(one(dns, 0), ANSWER_NXDOMAIN), from(SERVER_A));
  const error = failed(t, dns.take(id));
  t.true(error instanceof NameNotFound);
  t.is(error.message, "Cannot resolve nosuch.skiff.test: no such name (NXDOMAIN)");
  const empty = dns.query(2, "www.skiff.test");
  const sent = one(dns, 2);
  const reply = parse(answer(sent, ANSWER_WWW));
  dns.input(3, emitDns({ ...reply, answers: [] }), from(SERVER_A));
  t.true(failed(t, dns.take(empty)) instanceof NoAddress);
});

test("no answer: 1 s, 1 s, 2 s, 2 s, 4 s, 4 s across two servers, then DnsTimeout", (t) => {
  const dns = resolver([SERVER_A, SERVER_B]);
  const id = dns.query(0, "www.skiff.test");
  const schedule: [number, number][] = [];
  const ids = new Set<number>();
  let now = 0;
  for (;;) {
    const out = dns.output(now);
    if (out.length === 0) break;
    schedule.push([now, out[0]!.dst.address]);
    ids.add(parse(out[0]!.payload).id);
    now = dns.pollAt(now);
  }
  t.deepEqual(schedule, [[0, SERVER_A], [1 * S, SERVER_B], [2 * S, SERVER_A], [4 * S, SERVER_B], [6 * S, SERVER_A], [10 * S, SERVER_B]]);
  t.is(now, 14 * S);
  t.is(ids.size, 1, "every attempt carries the query's one id, so a late answer still matches");
  const error = failed(t, dns.take(id));
  t.true(error instanceof DnsTimeout);
  t.is(error.message, "Cannot resolve www.skiff.test: no answer after 6 attempts");
  t.is(dns.pending, 0);
});

test("a late answer to an earlier attempt still counts; SERVFAIL moves to the next server at once", (t) => {
  const dns = resolver([SERVER_A, SERVER_B]);
  const id = dns.query(0, "www.skiff.test");
  const first = one(dns, 0);
  one(dns, 1 * S); // to B
  dns.input(1.5 * S, answer(first, ANSWER_WWW), from(SERVER_A));
  t.like(dns.take(id), { ok: true });

  const failing = dns.query(10 * S, "other.skiff.test");
  const sent = one(dns, 10 * S);
  const servfail = parse(answer(sent, ANSWER_WWW));
  dns.input(10 * S + 1, emitDns({ ...servfail, questions: [{ name: "other.skiff.test", type: 1, class: 1 }], answers: [], flags: { ...servfail.flags, rcode: DnsRcode.ServFail } }), from(SERVER_A));
  t.is(dns.pollAt(10 * S + 1), 10 * S + 1);
  t.deepEqual(one(dns, 10 * S + 1).dst, from(SERVER_B));
  t.is(dns.take(failing), undefined);
});

test("every server refusing ends in DnsServerFailure with the rcode", (t) => {
  const dns = resolver([SERVER_A], 7, { rounds: 1 });
  const id = dns.query(0, "www.skiff.test");
  const sent = one(dns, 0);
  const refused = parse(answer(sent, ANSWER_WWW));
  dns.input(1, emitDns({ ...refused, answers: [], flags: { ...refused.flags, rcode: DnsRcode.Refused } }), from(SERVER_A));
  t.deepEqual(dns.output(1), []);
  const error = failed(t, dns.take(id));
  t.true(error instanceof DnsServerFailure);
  t.is((error as DnsServerFailure).rcode, DnsRcode.Refused);
});

test("answers that do not match are dropped: other id, other question, other server, other port, a query, garbage", (t) => {
  const dns = resolver();
  const id = dns.query(0, "www.skiff.test");
  const sent = one(dns, 0);
  const good = answer(sent, ANSWER_WWW);
  const otherId = good.slice(); otherId[1] = otherId[1]! ^ 1;
  dns.input(1, otherId, from(SERVER_A));
  dns.input(1, answer(sent, ANSWER_MULTI), from(SERVER_A)); // right id, question multi.skiff.test
  dns.input(1, good, from(SERVER_B));
  dns.input(1, good, from(SERVER_A, 5353));
  dns.input(1, sent.payload, from(SERVER_A));
  t.is(dns.stats.rx.notForUs, 5);
  dns.input(1, good.subarray(0, 20), from(SERVER_A));
  t.is(dns.stats.rx.malformed, 1);
  t.is(dns.take(id), undefined);
  dns.input(2, good, from(SERVER_A));
  t.like(dns.take(id), { ok: true });
});

test("the cache answers until the TTL (300 s) runs out, then the server is asked again", (t) => {
  const dns = resolver();
  dns.input(1, answer(one(dns, (dns.query(0, "www.skiff.test"), 0)), ANSWER_WWW), from(SERVER_A));
  const cached = dns.query(299 * S, "WWW.skiff.test.");
  t.deepEqual(dns.take(cached), { ok: true, addresses: [WWW], fromCache: true });
  t.deepEqual(dns.output(299 * S), []);
  const expired = dns.query(300 * S + 1, "www.skiff.test");
  t.is(dns.take(expired), undefined);
  t.is(dns.output(300 * S + 1).length, 1);
});

test("TTLs are capped, the cache holds at most cacheSize names (least recently used out)", (t) => {
  const dns = resolver([SERVER_A], 9, { cacheSize: 2, maxTtlSeconds: 60 });
  const resolve = (now: number, name: string): void => {
    dns.query(now, name);
    const sent = one(dns, now);
    const reply = parse(answer(sent, ANSWER_WWW));
    dns.input(now, emitDns({ ...reply, questions: [{ name, type: 1, class: 1 }], answers: [{ ...reply.answers[0]!, name }] }), from(SERVER_A));
  };
  resolve(0, "a.test");
  resolve(0, "b.test");
  t.like(dns.take(dns.query(1, "a.test")), { fromCache: true }); // a is now the most recent
  resolve(2, "c.test");
  t.is(dns.cache.size, 2);
  t.is(dns.take(dns.query(3, "b.test")), undefined, "b was evicted");
  t.like(dns.take(dns.query(3, "a.test")), { fromCache: true });
  t.like(dns.take(dns.query(3, "c.test")), { fromCache: true });
  t.is(dns.take(dns.query(60 * S + 2, "c.test")), undefined, "300 s TTL cut to 60 s");
});

test("names that cannot be asked fail at once; a dotted quad needs no query; no server is NoDnsServer", (t) => {
  const dns = resolver();
  t.true(failed(t, dns.take(dns.query(0, ""))) instanceof BadHostname);
  t.true(failed(t, dns.take(dns.query(0, `${"x".repeat(64)}.test`))) instanceof BadHostname);
  t.deepEqual(dns.take(dns.query(0, "10.0.0.9")), { ok: true, addresses: [ip("10.0.0.9")], fromCache: false });
  t.deepEqual(dns.output(0), []);
  const none = resolver([]);
  t.true(failed(t, none.take(none.query(0, "www.skiff.test"))) instanceof NoDnsServer);
});

test("message ids come from the random source and differ between queries in flight", (t) => {
  for (const seed of [1, 2, 3]) {
    const dns = resolver([SERVER_A], seed);
    for (let i = 0; i < 50; i++) dns.query(0, `n${i}.test`);
    const ids = dns.output(0).map((datagram) => parse(datagram.payload).id);
    t.is(new Set(ids).size, 50, `seed ${seed}`);
  }
});
