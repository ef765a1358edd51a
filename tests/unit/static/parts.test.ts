/**
 * apps/static's parts, each against the RFC text it follows: request paths (what is one name
 * below the served folder, what is a traversal in disguise), Range (RFC 9110 §14.1.2 and
 * §14.2: 206, 416, or the whole file), content types, HTTP dates, ETags and the
 * conditional requests they answer (§13).
 */
import test from "ava";
import { byteRange } from "../../../apps/static/byte_range.ts";
import { contentType } from "../../../apps/static/content_type.ts";
import { PathRefused, requestPath } from "../../../apps/static/request_path.ts";
import { entityTag, httpDate, notModified, parseHttpDate, rangeStillApplies } from "../../../apps/static/validators.ts";

/** As the kernel's server makes the request's URL: the authority, then the request-target. */
const pathOf = (target: string) => requestPath(new URL(`http://guest${target}`).pathname);

test("paths: plain names, percent-decoded, a trailing slash asking for a folder", (t) => {
  t.deepEqual(pathOf("/"), { segments: [], directory: true });
  t.deepEqual(pathOf("/img/logo.png"), { segments: ["img", "logo.png"], directory: false });
  t.deepEqual(pathOf("/docs/"), { segments: ["docs"], directory: true });
  t.deepEqual(pathOf("/a%20b/caf%C3%A9.txt"), { segments: ["a b", "café.txt"], directory: false });
});

test("paths: the URL parser resolves dot segments, encoded or not, so nothing climbs above the folder", (t) => {
  t.deepEqual(pathOf("/../../etc/passwd"), { segments: ["etc", "passwd"], directory: false });
  t.deepEqual(pathOf("/%2e%2e/%2E%2E/etc/passwd"), { segments: ["etc", "passwd"], directory: false });
  t.deepEqual(pathOf("/img/.%2e/index.html"), { segments: ["index.html"], directory: false });
  t.deepEqual(pathOf("/img/./logo.png"), { segments: ["img", "logo.png"], directory: false });
});

test("paths: a segment that decodes to a separator, a dot name or a NUL, an empty segment, bad UTF-8 — refused", (t) => {
  for (const url of ["/..%2f..%2fetc%2fpasswd", "/%2fetc%2fpasswd", "/a%5c..%5cb", "/x%00.html", "//etc/passwd", "/a//b", "/%ff", "/%E2%82"]) {
    t.true(pathOf(url) instanceof PathRefused, url);
  }
  const refused = pathOf("/..%2fsecret");
  t.is(refused instanceof PathRefused ? refused.reason : "", 'Cannot serve /..%2fsecret: "..%2fsecret" decodes to "../secret", which is not one file name');
  t.true(requestPath("relative") instanceof PathRefused);
});

test("Range: one range in each of its three forms, clamped to the file", (t) => {
  t.deepEqual(byteRange("bytes=0-99", 1000), { kind: "partial", start: 0, end: 99 });
  t.deepEqual(byteRange("bytes=100-", 1000), { kind: "partial", start: 100, end: 999 });
  t.deepEqual(byteRange("bytes=-100", 1000), { kind: "partial", start: 900, end: 999 });
  t.deepEqual(byteRange("bytes=990-2000", 1000), { kind: "partial", start: 990, end: 999 }, "a last-pos past the end means the end");
  t.deepEqual(byteRange("bytes=-5000", 1000), { kind: "partial", start: 0, end: 999 }, "a suffix longer than the file is all of it");
  t.deepEqual(byteRange("bytes=999-999", 1000), { kind: "partial", start: 999, end: 999 });
  t.deepEqual(byteRange("Bytes = 5-9 ", 1000), { kind: "partial", start: 5, end: 9 }, "the unit is case-insensitive; white space around = and the spec");
});

test("Range: unsatisfiable (416) when it starts past the end, is -0, or the file is empty", (t) => {
  t.deepEqual(byteRange("bytes=1000-", 1000), { kind: "unsatisfiable" });
  t.deepEqual(byteRange("bytes=5000-6000", 1000), { kind: "unsatisfiable" });
  t.deepEqual(byteRange("bytes=-0", 1000), { kind: "unsatisfiable" });
  t.deepEqual(byteRange("bytes=0-", 0), { kind: "unsatisfiable" });
  t.deepEqual(byteRange("bytes=-1", 0), { kind: "unsatisfiable" });
});

test("Range: ignored (the whole file) when absent, another unit, malformed, invalid, or more than one range", (t) => {
  for (const header of [null, "items=0-1", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-1", "bytes=0-1,5-9", "bytes=1-2-3", "0-1"]) {
    t.deepEqual(byteRange(header, 1000), { kind: "full" }, String(header));
  }
  t.deepEqual(byteRange("bytes=0-1, ", 1000), { kind: "partial", start: 0, end: 1 }, "empty list elements do not count (RFC 9110 §5.6.1)");
});

test("content types by extension, text ones in UTF-8, the rest octet-stream", (t) => {
  t.is(contentType("index.html"), "text/html; charset=utf-8");
  t.is(contentType("STYLE.CSS"), "text/css; charset=utf-8");
  t.is(contentType("logo.png"), "image/png");
  t.is(contentType("app.mjs"), "text/javascript; charset=utf-8");
  t.is(contentType("blob.bin"), "application/octet-stream");
  t.is(contentType("README"), "application/octet-stream");
  t.is(contentType(".env"), "application/octet-stream");
});

test("HTTP dates: IMF-fixdate out, as Node's toUTCString; IMF-fixdate in, other forms not read", (t) => {
  for (const ms of [0, 784111777000, 1_795_000_000_000, Date.UTC(2026, 10, 28, 9, 5, 7)]) {
    t.is(httpDate(ms), new Date(ms).toUTCString());
    t.is(parseHttpDate(httpDate(ms)), ms);
  }
  t.is(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), undefined);
  t.is(parseHttpDate("Sun Nov  6 08:49:37 1994"), undefined);
  t.is(parseHttpDate("yesterday"), undefined);
});

test("ETags: strong, the size and a content hash; one changed bit changes it, the same bytes anywhere give the same", (t) => {
  const bytes = new Uint8Array(4099).map((_, i) => (i * 7) & 0xff);
  const tag = entityTag(bytes);
  t.regex(tag, /^"1003-[0-9a-z]+"$/);
  t.is(entityTag(bytes.slice()), tag);
  const offset = new Uint8Array(bytes.length + 1);
  offset.set(bytes, 1);
  t.is(entityTag(offset.subarray(1)), tag, "an unaligned view hashes the same");
  for (const at of [0, 1, 2048, 4095, 4096, 4098]) {
    const changed = bytes.slice();
    changed[at]! ^= 1;
    t.not(entityTag(changed), tag, `bit 0 of byte ${at}`);
  }
  t.not(entityTag(new Uint8Array(0)), entityTag(new Uint8Array(1)));
});

test("conditionals: If-None-Match (weak comparison, lists, *) wins over If-Modified-Since; If-Range needs a strong match", (t) => {
  const current = { etag: '"c8-abc"', modifiedMs: Date.UTC(2026, 10, 28, 12, 0, 0) };
  const headers = (fields: Record<string, string>) => new Headers(fields);
  t.true(notModified(headers({ "if-none-match": '"c8-abc"' }), current));
  t.true(notModified(headers({ "if-none-match": 'W/"c8-abc"' }), current));
  t.true(notModified(headers({ "if-none-match": '"x", "c8-abc"' }), current));
  t.true(notModified(headers({ "if-none-match": "*" }), current));
  t.false(notModified(headers({ "if-none-match": '"c8-abd"' }), current));
  t.false(notModified(headers({ "if-none-match": '"c8-abd"', "if-modified-since": httpDate(current.modifiedMs) }), current), "If-None-Match decides when present");
  t.true(notModified(headers({ "if-modified-since": httpDate(current.modifiedMs) }), current));
  t.true(notModified(headers({ "if-modified-since": httpDate(current.modifiedMs + 60_000) }), current));
  t.false(notModified(headers({ "if-modified-since": httpDate(current.modifiedMs - 1000) }), current));
  t.false(notModified(headers({ "if-modified-since": "not a date" }), current));
  t.false(notModified(headers({}), current));
  t.true(rangeStillApplies(headers({}), current));
  t.true(rangeStillApplies(headers({ "if-range": '"c8-abc"' }), current));
  t.false(rangeStillApplies(headers({ "if-range": 'W/"c8-abc"' }), current));
  t.false(rangeStillApplies(headers({ "if-range": '"old"' }), current));
  t.true(rangeStillApplies(headers({ "if-range": httpDate(current.modifiedMs) }), current));
  t.false(rangeStillApplies(headers({ "if-range": httpDate(current.modifiedMs - 1000) }), current));
});
