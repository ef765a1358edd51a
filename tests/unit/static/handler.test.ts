/**
 * apps/static's fetch handler run under Node, on Node's own fs (the app imports
 * node:fs/promises, which the guest's bundler maps to skiff:fs) and Node's Request and
 * Response, serving apps/static/public through env.ROOT: each status it answers and the
 * fields that go with it. tests/vm/static_app.test.ts runs the same app from its image in a VM.
 */
import test from "ava";
import fs from "node:fs";
import path from "node:path";
import app from "../../../apps/static/main.ts";

const ROOT = path.resolve("apps/static/public");
const env = { ROOT };
const fetchApp = (target: string, init: RequestInit = {}) => app.fetch(new Request(`http://guest${target}`, init), env);
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());
const file = (name: string) => new Uint8Array(fs.readFileSync(path.join(ROOT, name)));

test("GET / is index.html, as text/html, with ETag, Last-Modified and Content-Length", async (t) => {
  const response = await fetchApp("/");
  t.is(response.status, 200);
  t.is(response.headers.get("content-type"), "text/html; charset=utf-8");
  t.is(response.headers.get("content-length"), String(file("index.html").length));
  t.regex(response.headers.get("etag") ?? "", /^"[0-9a-f]+-[0-9a-z]+"$/);
  t.regex(response.headers.get("last-modified") ?? "", /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  t.is(response.headers.get("accept-ranges"), "bytes");
  t.deepEqual(await bytesOf(response), file("index.html"));
});

test("files by extension, bit-exact; a folder's index.html; a folder without its slash is redirected", async (t) => {
  const png = await fetchApp("/img/logo.png");
  t.is(png.headers.get("content-type"), "image/png");
  t.deepEqual(await bytesOf(png), file("img/logo.png"));
  t.is((await fetchApp("/style.css")).headers.get("content-type"), "text/css; charset=utf-8");
  t.is((await fetchApp("/data/blob.bin")).headers.get("content-type"), "application/octet-stream");
  const docs = await fetchApp("/docs/");
  t.is(docs.status, 200);
  t.deepEqual(await bytesOf(docs), file("docs/index.html"));
  const redirect = await fetchApp("/docs?x=1");
  t.is(redirect.status, 301);
  t.is(redirect.headers.get("location"), "/docs/?x=1");
});

test("If-None-Match with the ETag, or If-Modified-Since at Last-Modified, is 304 with no body", async (t) => {
  const first = await fetchApp("/style.css");
  const etag = first.headers.get("etag")!;
  const again = await fetchApp("/style.css", { headers: { "if-none-match": etag } });
  t.is(again.status, 304);
  t.is(again.headers.get("etag"), etag);
  t.is(again.body, null);
  const since = await fetchApp("/style.css", { headers: { "if-modified-since": first.headers.get("last-modified")! } });
  t.is(since.status, 304);
  t.is((await fetchApp("/style.css", { headers: { "if-none-match": '"other"' } })).status, 200);
});

test("Range: 206 with Content-Range and exactly those bytes; 416 with bytes */size; two ranges get the whole file", async (t) => {
  const blob = file("data/blob.bin");
  for (const [header, start, end] of [["bytes=0-99", 0, 99], ["bytes=100000-", 100000, blob.length - 1], ["bytes=-4096", blob.length - 4096, blob.length - 1]] as const) {
    const response = await fetchApp("/data/blob.bin", { headers: { range: header } });
    t.is(response.status, 206, header);
    t.is(response.headers.get("content-range"), `bytes ${start}-${end}/${blob.length}`);
    t.is(response.headers.get("content-length"), String(end - start + 1));
    t.deepEqual(await bytesOf(response), blob.subarray(start, end + 1));
  }
  const unsatisfiable = await fetchApp("/data/blob.bin", { headers: { range: `bytes=${blob.length}-` } });
  t.is(unsatisfiable.status, 416);
  t.is(unsatisfiable.headers.get("content-range"), `bytes */${blob.length}`);
  const two = await fetchApp("/data/blob.bin", { headers: { range: "bytes=0-1,5-6" } });
  t.is(two.status, 200);
  t.is((await bytesOf(two)).length, blob.length);
  const stale = await fetchApp("/data/blob.bin", { headers: { range: "bytes=0-1", "if-range": '"stale"' } });
  t.is(stale.status, 200, "If-Range that does not match: the whole file");
});

test("HEAD: GET's fields, no body", async (t) => {
  const head = await fetchApp("/data/blob.bin", { method: "HEAD" });
  t.is(head.status, 200);
  t.is(head.headers.get("content-length"), String(file("data/blob.bin").length));
  t.is(head.body, null);
});

test("404 for what is not there, 400 for a disguised traversal, 405 for other methods", async (t) => {
  t.is((await fetchApp("/missing.html")).status, 404);
  t.is((await fetchApp("/index.html/")).status, 404, "a file named as a folder");
  t.is((await fetchApp("/img/")).status, 404, "a folder without index.html");
  t.is((await fetchApp("/index.html/x")).status, 404, "ENOTDIR");
  t.is((await fetchApp("/../../../etc/passwd")).status, 404, "the URL parser resolved it to /etc/passwd under the root");
  t.is((await fetchApp("/..%2f..%2f..%2fetc%2fpasswd")).status, 400);
  t.is((await fetchApp("/%2fetc%2fpasswd")).status, 400);
  const post = await fetchApp("/", { method: "POST", body: "x" });
  t.is(post.status, 405);
  t.is(post.headers.get("allow"), "GET, HEAD");
});
