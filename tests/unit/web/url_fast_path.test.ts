/**
 * The URL fast path (kernel-ts/web/url/fast_path.ts) against the state machine it stands in
 * for and against Node's URL: for every input it takes, the same record and the same href;
 * the inputs it must leave to the state machine are left.
 */
import test from "ava";
import { parseSimpleUrl, simpleUrlHref } from "../../../kernel-ts/web/url/fast_path.ts";
import { parseUrl, parseUrlByStates } from "../../../kernel-ts/web/url/url_parser.ts";
import { serializeUrl } from "../../../kernel-ts/web/url/url_record.ts";

const schemes = ["http", "https", "ws", "wss", "ftp", "HTTP", "file", "foo"];
const hosts = ["example.com", "a.b.c", "10.0.0.2", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "0x7f.1", "foo.0x", "foo.09", "foo.1",
  "xn--nxasmq6b.com", "xn--a.com", "-a-.com", "localhost", "host.", "1.2.3.4.", "a..b", "Example.com", "ex ample.com", "exa%41mple.com", "[::1]", "user@host", "cafe", "dead.beef"];
const ports = ["", ":80", ":443", ":21", ":8080", ":0", ":65535", ":65536", ":080", ":"];
const paths = ["", "/", "/a/b", "/a/b/", "/a/./b", "/a/../b", "/.", "/..", "/%2e/x", "/%2E%2e", "/a%2Fb", "//x", "/a b", "/~x/y'z(1)", "/\u00e4", "/a\\b", "/a?", "/{x}", "/a^b", "/`"];
const queries = ["", "?", "?a=1&b=2", "?q='x'", "?a?b", "?x y", "?%zz", "?a/b:c@d"];
const fragments = ["", "#", "#f", "#a?b", "#a#b", "#x y", "#'"];

function* inputs(): Generator<string> {
  const defaults = { scheme: "http", host: "example.com", port: "", path: "/", query: "", fragment: "" };
  const make = (parts: typeof defaults): string => `${parts.scheme}://${parts.host}${parts.port}${parts.path}${parts.query}${parts.fragment}`;
  for (const scheme of schemes) for (const host of hosts) for (const port of ports) yield make({ ...defaults, scheme, host, port });
  for (const path of paths) for (const query of queries) for (const fragment of fragments) yield make({ ...defaults, path, query, fragment });
  let seed = 12345;
  const pick = <T>(list: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return list[seed % list.length]!;
  };
  for (let i = 0; i < 5000; i++) yield make({ scheme: pick(schemes), host: pick(hosts), port: pick(ports), path: pick(paths), query: pick(queries), fragment: pick(fragments) });
  yield* [" http://a/", "http://a/\t", "http:/a/", "http:a/", "http://a:b@c/", "http://a/b\nc"];
}

test("every input the fast path takes parses to the state machine's record, and to Node's href; simpleUrlHref gives that href, cached", (t) => {
  let taken = 0;
  let total = 0;
  for (const input of inputs()) {
    total++;
    const fast = parseSimpleUrl(input);
    const href = simpleUrlHref(input);
    t.is(href === undefined, fast === undefined, input);
    if (fast === undefined) continue;
    taken++;
    t.deepEqual(fast, parseUrlByStates(input), input);
    t.is(serializeUrl(fast), new URL(input).href, input);
    t.is(href, serializeUrl(fast), input);
    t.is(simpleUrlHref(input), href, `${input} from the cache`);
  }
  t.true(taken > 1000, `the fast path took ${taken} of ${total} inputs`);
});

test("what the fast path must leave to the state machine", (t) => {
  for (const input of [
    "HTTP://a/", "http://Example.com/", "http://01.2.3.4/", "http://1.2.3/", "http://0x7f.1/", "http://foo.09/", "http://xn--nxasmq6b.com/",
    "http://a/./b", "http://a/%2e%2e/b", "http://a/b c", "http://a:65536/", "http://u@a/", "http://[::1]/", " http://a/", "http://a/\u00e4",
    "http://a/b\\c", "file:///x", "foo://a/", "http:a", "http://a/?q='x'",
  ]) t.is(parseSimpleUrl(input), undefined, input);
  t.is(parseUrl("http://10.0.0.2:8080/items?id=7")?.host, "10.0.0.2");
  t.is(parseUrl("http://10.0.0.2:80/")?.port, null, "the default port is dropped");
});
