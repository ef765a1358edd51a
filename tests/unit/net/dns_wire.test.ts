import test from "ava";
import { hexFixture, ip } from "../../helpers/net_hex_fixtures.ts";
import { DnsRcode, DnsType, DnsWireError, dnsQuery, emitDns, encodeName, parseDns, type DnsRepr } from "../../../kernel-ts/net/wire/dns.ts";

// Captured from busybox nslookup and dnsmasq 2.90 (tests/fixtures/net/dhcp_dns_capture.sh).
const QUERY_WWW = hexFixture("dns_query_www.hex");
const QUERY_ALIAS = hexFixture("dns_query_alias.hex");
const ANSWER_WWW = hexFixture("dns_answer_www.hex");
const ANSWER_MULTI = hexFixture("dns_answer_multi.hex");
const ANSWER_CNAME = hexFixture("dns_answer_cname.hex");
const ANSWER_NXDOMAIN = hexFixture("dns_answer_nxdomain.hex");

function parse(bytes: Uint8Array): DnsRepr {
  const repr = parseDns(bytes);
  if (repr instanceof DnsWireError) throw new Error(repr.message);
  return repr;
}

test("busybox's queries parse and re-emit byte for byte", (t) => {
  for (const bytes of [QUERY_WWW, QUERY_ALIAS]) t.deepEqual(emitDns(parse(bytes)), bytes);
  const query = parse(QUERY_WWW);
  t.deepEqual(query.questions, [{ name: "www.skiff.test", type: DnsType.A, class: 1 }]);
  t.true(query.flags.recursionDesired);
  t.false(query.flags.response);
  t.deepEqual(emitDns(dnsQuery(query.id, "www.skiff.test")), QUERY_WWW, "our query is the same bytes as busybox's");
});

test("dnsmasq's answer: the compressed owner name is expanded, the A record decoded", (t) => {
  const answer = parse(ANSWER_WWW);
  t.is(answer.id, parse(QUERY_WWW).id);
  t.true(answer.flags.response);
  t.true(answer.flags.authoritative);
  t.is(answer.flags.rcode, DnsRcode.NoError);
  t.is(answer.answers.length, 1);
  t.is(answer.answers[0]!.name, "www.skiff.test");
  t.is(answer.answers[0]!.address, ip("93.184.216.34"));
  t.is(answer.answers[0]!.ttl, 300);
});

test("two A records; a CNAME chain with a pointer into the CNAME's data; NXDOMAIN", (t) => {
  t.deepEqual(parse(ANSWER_MULTI).answers.map((record) => record.address), [ip("10.0.0.7"), ip("10.0.0.8")]);
  const cname = parse(ANSWER_CNAME).answers;
  t.is(cname[0]!.type, DnsType.CNAME);
  t.is(cname[0]!.name, "alias.skiff.test");
  t.is(cname[0]!.canonicalName, "www.skiff.test");
  t.is(cname[1]!.name, "www.skiff.test");
  t.is(cname[1]!.address, ip("93.184.216.34"));
  const nx = parse(ANSWER_NXDOMAIN);
  t.is(nx.flags.rcode, DnsRcode.NXDomain);
  t.is(nx.answers.length, 0);
});

test("every truncation of every captured message is rejected", (t) => {
  for (const bytes of [QUERY_WWW, QUERY_ALIAS, ANSWER_WWW, ANSWER_MULTI, ANSWER_CNAME, ANSWER_NXDOMAIN]) {
    for (let length = 0; length < bytes.length; length++) {
      t.true(parseDns(bytes.subarray(0, length)) instanceof DnsWireError, `length ${length} of ${bytes.length}`);
    }
  }
});

test("compression loops and forward pointers are rejected", (t) => {
  const header = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0];
  const selfLoop = Uint8Array.of(...header, 0xc0, 12, 0, 1, 0, 1);
  const forward = Uint8Array.of(...header, 0xc0, 14, 1, 0x61, 0, 0, 1, 0, 1);
  // a label, then a pointer back to that label: a -> a -> a ...
  const labelLoop = Uint8Array.of(...header, 1, 0x61, 0xc0, 12, 0, 1, 0, 1);
  for (const bytes of [selfLoop, forward, labelLoop]) {
    const result = parseDns(bytes);
    t.true(result instanceof DnsWireError && result.reason === "bad-pointer");
  }
});

test("long names and bad labels are refused by both parse and encode", (t) => {
  const label = [63, ...new Array<number>(63).fill(0x61)];
  const long = Uint8Array.of(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...label, ...label, ...label, ...label, 0, 0, 1, 0, 1);
  const result = parseDns(long);
  t.true(result instanceof DnsWireError && result.reason === "name-too-long");
  const extended = Uint8Array.of(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1);
  const bad = parseDns(extended);
  t.true(bad instanceof DnsWireError && bad.reason === "bad-label");
  t.throws(() => encodeName(`${"a".repeat(64)}.test`), { instanceOf: RangeError });
  t.throws(() => encodeName("a..b"), { instanceOf: RangeError });
  t.throws(() => encodeName(Array.from({ length: 5 }, () => "a".repeat(60)).join(".")), { instanceOf: RangeError });
  t.deepEqual(encodeName("www.skiff.test."), encodeName("www.skiff.test"));
});

test("an A record whose data is not 4 bytes is rejected", (t) => {
  const bytes = ANSWER_WWW.slice();
  // rdlength of the single answer (the last 6 bytes are rdlength + address)
  bytes[bytes.length - 5] = 3;
  const result = parseDns(bytes.subarray(0, bytes.length - 1));
  t.true(result instanceof DnsWireError && result.reason === "bad-record");
});
