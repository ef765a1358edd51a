/**
 * apps/static booted FROM ITS IMAGE (`skiff build static`, qemu -initrd): the kernel mounts
 * the image's assets at /app and the app serves them over HTTP to curl on the Linux side of a
 * private network — index.html as text/html, the PNG and a 200 KiB file bit-exact, ETag then
 * If-None-Match → 304, Range → 206 with exactly those bytes, 416 past the end, HEAD, and
 * traversal attempts (raw, percent-encoded dots, encoded slashes) refused. The app is
 * "linked": false, so it can only have come from the image. One VM for the file; clients run
 * with execAsync so the guest's console keeps draining (tests/helpers/netns.ts says why).
 */
import test from "ava";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { paths } from "../../host/launch/paths.ts";
import { httpAppVm } from "../helpers/http_app_vm.ts";

const PUBLIC = path.join(paths.repoRoot, "apps/static/public");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "skiff-static-"));
const app = httpAppVm("static", { fromImage: true });
test.after.always(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Fetched {
  readonly status: number;
  /** Response fields, names lower-cased (the last of each name). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

let downloads = 0;
/** curl in the namespace: the response's status line and fields (-D), and its body in a file read back here. */
async function curl(target: string, args: readonly string[] = []): Promise<Fetched> {
  const n = downloads++;
  const headFile = path.join(scratch, `${n}.head`);
  const bodyFile = path.join(scratch, `${n}.body`);
  const result = await app.network.execAsync(["curl", "-sS", "--max-time", "30", "-D", headFile, "-o", bodyFile, ...args, `${app.base}${target}`], { timeoutMs: 40_000 });
  if (result.status !== 0) throw new Error(`curl ${args.join(" ")} ${target} failed (${result.status}): ${result.stderr}\n${app.output().slice(-2000)}`);
  const lines = fs.readFileSync(headFile, "latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(lines[0] ?? "")?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: fs.existsSync(bodyFile) ? fs.readFileSync(bodyFile) : Buffer.alloc(0) };
}

const asset = (name: string): Buffer => fs.readFileSync(path.join(PUBLIC, name));

test.serial("GET / is index.html, as text/html, with its length, ETag and Last-Modified", async (t) => {
  const page = await curl("/");
  t.is(page.status, 200, app.output());
  t.is(page.headers["content-type"], "text/html; charset=utf-8");
  t.is(page.headers["content-length"], String(asset("index.html").length));
  t.regex(page.headers.etag ?? "", /^"[0-9a-f]+-[0-9a-z]+"$/);
  t.regex(page.headers["last-modified"] ?? "", /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  t.true(page.body.equals(asset("index.html")));
  const css = await curl("/style.css");
  t.is(css.status, 200, `${css.body.toString()}\n${app.output()}`);
  t.is(css.headers["content-type"], "text/css; charset=utf-8");
  t.true(css.body.equals(asset("style.css")));
});

test.serial("the PNG and the 200 KiB file arrive bit-exact, with their types", async (t) => {
  const png = await curl("/img/logo.png");
  t.is(png.status, 200);
  t.is(png.headers["content-type"], "image/png");
  t.true(png.body.equals(asset("img/logo.png")), `${png.body.length} bytes`);
  const blob = await curl("/data/blob.bin");
  t.is(blob.headers["content-type"], "application/octet-stream");
  t.is(blob.headers["content-length"], "204800");
  t.true(blob.body.equals(asset("data/blob.bin")), `${blob.body.length} bytes`);
});

test.serial("ETag, then If-None-Match with it: 304 with no body; If-Modified-Since at Last-Modified: 304; another tag: 200", async (t) => {
  const first = await curl("/img/logo.png");
  const etag = first.headers.etag!;
  const again = await curl("/img/logo.png", ["-H", `If-None-Match: ${etag}`]);
  t.is(again.status, 304);
  t.is(again.headers.etag, etag);
  t.is(again.body.length, 0);
  t.is((await curl("/img/logo.png", ["-H", `If-Modified-Since: ${first.headers["last-modified"]}`])).status, 304);
  t.is((await curl("/img/logo.png", ["-H", 'If-None-Match: "0-stale"'])).status, 200);
});

test.serial("Range: 206 with Content-Range and exactly those bytes, in all three forms; 416 past the end", async (t) => {
  const blob = asset("data/blob.bin");
  for (const [range, start, end] of [["1000-1999", 1000, 1999], ["200000-", 200000, 204799], ["-100", 204700, 204799]] as const) {
    const part = await curl("/data/blob.bin", ["-H", `Range: bytes=${range}`]);
    t.is(part.status, 206, range);
    t.is(part.headers["content-range"], `bytes ${start}-${end}/204800`);
    t.is(part.headers["content-length"], String(end - start + 1));
    t.true(part.body.equals(blob.subarray(start, end + 1)), range);
  }
  const past = await curl("/data/blob.bin", ["-H", "Range: bytes=204800-"]);
  t.is(past.status, 416);
  t.is(past.headers["content-range"], "bytes */204800");
  const two = await curl("/data/blob.bin", ["-H", "Range: bytes=0-1,10-11"]);
  t.is(two.status, 200, "more than one range: the whole file");
  t.is(two.body.length, 204800);
});

test.serial("HEAD: GET's fields and no body", async (t) => {
  const head = await curl("/data/blob.bin", ["-I"]);
  t.is(head.status, 200);
  t.is(head.headers["content-length"], "204800");
  t.is(head.headers["content-type"], "application/octet-stream");
  t.truthy(head.headers.etag);
  // With -I, curl writes the head where the body would go: nothing follows its blank line.
  const text = head.body.toString("latin1");
  t.regex(text, /^HTTP\/1\.1 200 OK\r\n/);
  t.is(text.indexOf("\r\n\r\n"), text.length - 4, "no body after the head");
  t.is((await curl("/data/blob.bin")).status, 200, "still serving");
});

test.serial("folders: /docs/ is its index.html, /docs redirects; missing files are 404", async (t) => {
  const docs = await curl("/docs/");
  t.is(docs.status, 200);
  t.true(docs.body.equals(asset("docs/index.html")));
  const redirect = await curl("/docs");
  t.is(redirect.status, 301);
  t.is(redirect.headers.location, "/docs/");
  t.is((await curl("/nothing-here.html")).status, 404);
});

test.serial("traversal attempts are refused (404 or 400) and never reach a file outside the assets", async (t) => {
  for (const [target, status] of [
    ["/../../../../etc/passwd", 404],
    ["/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 404],
    ["/img/..%2f..%2f..%2fetc%2fpasswd", 400],
    ["/%2fetc%2fpasswd", 400],
    ["//etc/passwd", 400],
    ["/..%5c..%5cetc%5cpasswd", 400],
  ] as const) {
    const refused = await curl(target, ["--path-as-is"]);
    t.is(refused.status, status, target);
    t.false(refused.body.toString("latin1").includes("root:"), target);
  }
  t.is((await curl("/", ["-X", "DELETE"])).status, 405);
  t.is((await curl("/")).status, 200, "still serving");
});
