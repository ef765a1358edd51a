// Request, Response, FormData and the body mixin against Node's own (undici): default
// Content-Types, body reading, reuse errors, clone, the static makers, validation.
import test from "ava";
import { AbortController, Blob, FormData, Headers, ReadableStream, Request, Response, URLSearchParams } from "../../../kernel-ts/web/mod.ts";
import { serverRequestFactory } from "../../../kernel-ts/web/fetch/server_request.ts";

const Node = { Request: globalThis.Request, Response: globalThis.Response, FormData: globalThis.FormData, Blob: globalThis.Blob, URLSearchParams: globalThis.URLSearchParams };

/** The same body built with each side's own classes. */
const BODIES: Array<[string, (side: "mine" | "node") => unknown]> = [
  ["string", () => "héllo"],
  ["empty string", () => ""],
  ["Uint8Array", () => new Uint8Array([104, 105])],
  ["ArrayBuffer", () => new Uint8Array([0xff, 0x00]).buffer],
  ["DataView", () => new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)],
  ["Blob with type", (side) => new (side === "mine" ? Blob : Node.Blob)(["blob"], { type: "Text/X" })],
  ["Blob without type", (side) => new (side === "mine" ? Blob : Node.Blob)(["blob"])],
  ["URLSearchParams", (side) => new (side === "mine" ? URLSearchParams : Node.URLSearchParams)("a=1&b=é")],
  ["number", () => 42],
  ["null", () => null],
];

test("Response bodies: Content-Type, text, bytes and blob type like Node's", async (t) => {
  for (const [label, make] of BODIES) {
    const mine = new Response(make("mine") as never);
    const node = new Node.Response(make("node") as never);
    t.is(mine.headers.get("content-type"), node.headers.get("content-type"), label);
    t.deepEqual(new Uint8Array(await mine.clone().arrayBuffer()), new Uint8Array(await node.clone().arrayBuffer()), label);
    t.is((await mine.clone().blob()).type, (await node.clone().blob()).type, label);
    t.is(await mine.text(), await node.text(), label);
    t.is(mine.bodyUsed, node.bodyUsed, label);
  }
});

test("a body is read once: the second read rejects with a TypeError, clone() throws", async (t) => {
  for (const method of ["text", "json", "arrayBuffer", "bytes", "blob"] as const) {
    const response = new Response('{"a":1}');
    t.false(response.bodyUsed);
    await response[method]();
    t.true(response.bodyUsed);
    await t.throwsAsync(() => response.text(), { instanceOf: TypeError, message: /Body is unusable/ });
    t.throws(() => response.clone(), { instanceOf: TypeError });
  }
  const locked = new Response("x");
  locked.body!.getReader();
  await t.throwsAsync(() => locked.text(), { instanceOf: TypeError });
  const empty = new Response(null);
  t.is(empty.body, null);
  t.is(await empty.text(), "");
  t.is(await empty.text(), "");
  t.false(empty.bodyUsed);
});

test("reading body directly marks it used; json() parses and throws SyntaxError like Node", async (t) => {
  const response = new Response("abc");
  const reader = response.body!.getReader();
  await reader.read();
  t.true(response.bodyUsed);
  await t.throwsAsync(() => new Response("{bad").json(), { instanceOf: SyntaxError });
  await t.throwsAsync(() => new Node.Response("{bad").json(), { instanceOf: SyntaxError });
  t.deepEqual(await new Response('{"k":[1,"é"]}').json(), await new Node.Response('{"k":[1,"é"]}').json());
});

test("clone() tees: both copies read the whole body, headers are copied", async (t) => {
  const original = new Response("twice", { status: 201, statusText: "Made", headers: { "x-a": "1" } });
  const copy = original.clone();
  t.is(await original.text(), "twice");
  t.is(await copy.text(), "twice");
  t.deepEqual([copy.status, copy.statusText, copy.headers.get("x-a")], [201, "Made", "1"]);
  const request = new Request("http://h/", { method: "POST", body: "req" });
  const requestCopy = request.clone();
  t.is(await requestCopy.text(), "req");
  t.is(await request.text(), "req");
});

test("a ReadableStream body is read through, and must be Uint8Array chunks", async (t) => {
  const stream = new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(new Uint8Array([104])); controller.enqueue(new Uint8Array([105])); controller.close(); } });
  const response = new Response(stream);
  t.is(response.headers.get("content-type"), null);
  t.is(response.body, stream);
  t.is(await response.text(), "hi");
  const bad = new ReadableStream({ start(controller) { controller.enqueue("not bytes"); controller.close(); } });
  await t.throwsAsync(() => new Response(bad as never).text(), { instanceOf: TypeError });
  const used = new ReadableStream();
  used.getReader();
  t.throws(() => new Response(used as never), { instanceOf: TypeError });
});

test("Response status and statusText validation matches Node's error kinds", (t) => {
  const inits: unknown[] = [{ status: 199 }, { status: 200 }, { status: 599 }, { status: 600 }, { status: 0 }, { status: 204 }, { statusText: "OK fine" }, { statusText: "a\nb" }, { statusText: "é" }, { statusText: "\u0100" }];
  for (const init of inits) {
    for (const body of [null, "x"]) {
      let mine = "ok";
      let node = "ok";
      try { new Response(body, init as never); } catch (error) { mine = (error as Error).name; }
      try { new Node.Response(body, init as never); } catch (error) { node = (error as Error).name; }
      t.is(mine, node, `${JSON.stringify(init)} with body ${String(body)}`);
    }
  }
  t.true(new Response(null, { status: 299 }).ok);
  t.false(new Response(null, { status: 300 }).ok);
});

test("Response.error, Response.redirect and Response.json like Node's", async (t) => {
  const error = Response.error();
  t.deepEqual([error.type, error.status, error.statusText, error.ok, error.body], ["error", 0, "", false, null]);
  t.throws(() => error.headers.set("a", "b"), { instanceOf: TypeError });
  for (const status of [301, 302, 303, 307, 308, undefined]) {
    const mine = Response.redirect("http://x/y?z", status);
    const node = Node.Response.redirect("http://x/y?z", status as never);
    t.deepEqual([mine.status, [...mine.headers]], [node.status, [...node.headers]]);
    t.throws(() => mine.headers.append("x", "y"), { instanceOf: TypeError });
  }
  t.throws(() => Response.redirect("http://x/", 200), { instanceOf: RangeError });
  t.throws(() => Response.redirect("not a url"), { instanceOf: TypeError });
  const json = Response.json({ a: [1, "é"] }, { status: 202, headers: { "x-k": "v" } });
  const nodeJson = Node.Response.json({ a: [1, "é"] }, { status: 202, headers: { "x-k": "v" } });
  t.deepEqual([json.status, [...json.headers], await json.text()], [nodeJson.status, [...nodeJson.headers], await nodeJson.text()]);
  t.is(Response.json("s", { headers: { "content-type": "text/x" } }).headers.get("content-type"), "text/x");
  t.throws(() => Response.json(undefined), { instanceOf: TypeError });
});

test("Request: URL parsing, method normalization and forbidden methods, defaults like Node's", (t) => {
  const urls = ["http://h/a/../b?c#d", "HTTPS://H:443/", "http://u:p@h/", "/relative", "bad url", "data:,x"];
  for (const url of urls) {
    let mine: string;
    let node: string;
    try { mine = new Request(url).url; } catch (error) { mine = (error as Error).name; }
    try { node = new Node.Request(url).url; } catch (error) { node = (error as Error).name; }
    t.is(mine, node, url);
  }
  for (const method of ["get", "Post", "pUt", "delete", "head", "options", "patch", "PATCH", "custom", "connect", "TRACE", "track", "bad method", ""]) {
    let mine: string;
    let node: string;
    try { mine = new Request("http://h/", { method }).method; } catch (error) { mine = (error as Error).name; }
    try { node = new Node.Request("http://h/", { method }).method; } catch (error) { node = (error as Error).name; }
    t.is(mine, node, method);
  }
  const mine = new Request("http://h/");
  const node = new Node.Request("http://h/");
  for (const key of ["method", "destination", "referrer", "referrerPolicy", "mode", "credentials", "cache", "redirect", "integrity", "keepalive", "duplex", "bodyUsed"] as const) {
    t.is((mine as unknown as Record<string, unknown>)[key], (node as unknown as Record<string, unknown>)[key], key);
  }
  t.false(mine.signal.aborted);
});

test("Request bodies: GET/HEAD refuse one, streams need duplex, a Request input is used up", async (t) => {
  t.throws(() => new Request("http://h/", { body: "x" }), { instanceOf: TypeError });
  t.throws(() => new Request("http://h/", { method: "HEAD", body: "x" }), { instanceOf: TypeError });
  const stream = () => new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(new Uint8Array([65])); controller.close(); } });
  t.throws(() => new Request("http://h/", { method: "POST", body: stream() }), { instanceOf: TypeError });
  t.is(await new Request("http://h/", { method: "POST", body: stream(), duplex: "half" }).text(), "A");

  const original = new Request("http://h/", { method: "POST", body: "moved", headers: { "x-a": "1" } });
  const moved = new Request(original);
  t.true(original.bodyUsed);
  t.is(moved.headers.get("x-a"), "1");
  t.is(await moved.text(), "moved");
  t.throws(() => new Request(original), { instanceOf: TypeError });
  const replaced = new Request(new Request("http://h/", { method: "PUT", body: "a" }), { body: "b" });
  t.is(await replaced.text(), "b");
  t.is(replaced.method, "PUT");
});

test("the HTTP server's Request factory gives what the constructor gives, errors included", async (t) => {
  const factory = serverRequestFactory(Request as unknown as typeof globalThis.Request);
  if (factory === undefined) return t.fail("Request has no server factory");
  const fields: Array<readonly [string, string]> = [["Host", "h"], ["X-A", "1"], ["x-a", "2"], ["Accept", "*/*"]];
  const describe = async (request: globalThis.Request): Promise<unknown> => ({
    url: request.url, method: request.method, headers: [...request.headers], bodyUsed: request.bodyUsed, aborted: request.signal.aborted,
    defaults: ["destination", "referrer", "referrerPolicy", "mode", "credentials", "cache", "redirect", "integrity", "keepalive", "duplex"].map((key) => (request as unknown as Record<string, unknown>)[key]),
    text: request.method === "GET" || request.method === "HEAD" ? null : await request.text(),
  });
  const body = () => new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(new Uint8Array([104, 105])); controller.close(); } });
  for (const [url, method, withBody] of [["http://h/a/../b?c", "get", false], ["http://h:80/", "POST", true], ["http://h/x", "PATCH", true], ["http://h/", "custom", false]] as const) {
    const made = factory(url, method, fields, withBody ? body() as never : null);
    const constructed = new Request(url, { method, headers: fields as [string, string][], body: withBody ? body() : null, duplex: "half" });
    t.deepEqual(await describe(made), await describe(constructed as unknown as globalThis.Request), `${method} ${url}`);
    t.true(made instanceof Request);
  }
  // The headers are the Request's own, with its guard: an app may change them.
  const request = factory("http://h/", "GET", fields, null);
  request.headers.set("x-b", "3");
  t.is(request.headers.get("x-a"), "1, 2");
  t.is(request.headers.get("x-b"), "3");
  // The constructor's errors, with its messages.
  for (const [url, method, withBody] of [["http://h /", "GET", false], ["http://u:p@h/", "GET", false], ["http://h/", "TRACE", false], ["http://h/", "bad method", false], ["http://h/", "GET", true], ["http://h/", "HEAD", true]] as const) {
    const error = (make: () => unknown): string => { try { make(); return "no error"; } catch (caught) { return `${(caught as Error).name}: ${(caught as Error).message}`; } };
    t.is(
      error(() => factory(url, method, fields, withBody ? body() as never : null)),
      error(() => new Request(url, { method, headers: fields as [string, string][], body: withBody ? body() : null, duplex: "half" })),
      `${method} ${url}`,
    );
  }
});

test("Request.signal follows init.signal", (t) => {
  const controller = new AbortController();
  const request = new Request("http://h/", { signal: controller.signal as never });
  t.false(request.signal.aborted);
  controller.abort("stop");
  t.true(request.signal.aborted);
  t.is(request.signal.reason, "stop");
});

test("FormData: append/set/get/getAll/has/delete and iteration like Node's", (t) => {
  const mine = new FormData();
  const node = new Node.FormData();
  for (const form of [mine, node] as FormData[]) {
    form.append("a", "1");
    form.append("b", "2");
    form.append("a", "3");
    form.set("b", "4");
    form.append("c", "\ud800x");
    form.delete("missing");
  }
  t.deepEqual([...mine], [...node]);
  t.deepEqual(mine.getAll("a"), node.getAll("a"));
  t.is(mine.get("zzz"), null);
  t.true(mine.has("c"));
  mine.delete("a");
  t.deepEqual([...mine.keys()], ["b", "c"]);
  const withFile = new FormData();
  withFile.append("f", new Blob(["data"], { type: "text/plain" }), "file.txt");
  withFile.append("g", new Blob(["x"]));
  const f = withFile.get("f") as { name: string; type: string };
  t.deepEqual([f.name, f.type], ["file.txt", "text/plain"]);
  t.is((withFile.get("g") as { name: string }).name, "blob");
});

test("FormData bodies round-trip through multipart/form-data, and Node parses ours", async (t) => {
  const form = new FormData();
  form.append("name", "line1\nline2 \"quoted\" é");
  form.append("file", new Blob(["file body\r\n--not-a-boundary"], { type: "application/x-thing" }), "we\"ird\nname.bin");
  form.append("empty", "");
  const response = new Response(form);
  const type = response.headers.get("content-type")!;
  t.regex(type, /^multipart\/form-data; boundary=/);
  const bytes = await response.clone().arrayBuffer();
  const back = await response.formData();
  t.is(back.get("name"), "line1\r\nline2 \"quoted\" é");
  const file = back.get("file") as unknown as Blob & { name: string };
  t.deepEqual([file.name, file.type, await file.text()], ["we\"ird\nname.bin", "application/x-thing", "file body\r\n--not-a-boundary"]);
  t.is(back.get("empty"), "");
  const nodeParsed = await new Node.Response(bytes, { headers: { "content-type": type } }).formData();
  t.deepEqual([...nodeParsed.keys()], ["name", "file", "empty"]);
  t.is(nodeParsed.get("name"), "line1\r\nline2 \"quoted\" é");

  const nodeForm = new Node.FormData();
  nodeForm.append("k", "v\nw");
  nodeForm.append("up", new Node.Blob(["bytes"], { type: "image/png" }), "pic.png");
  const nodeResponse = new Node.Response(nodeForm);
  const ours = await new Response(await nodeResponse.arrayBuffer(), { headers: { "content-type": nodeResponse.headers.get("content-type")! } }).formData();
  t.is(ours.get("k"), "v\r\nw");
  t.is(((ours.get("up") as unknown) as { name: string }).name, "pic.png");
});

test("formData() reads urlencoded bodies and rejects other types with a TypeError", async (t) => {
  const form = await new Response(new URLSearchParams("a=1&b=x+y&a=%C3%A9")).formData();
  t.deepEqual([...form], [["a", "1"], ["b", "x y"], ["a", "é"]]);
  await t.throwsAsync(() => new Response("a=1").formData(), { instanceOf: TypeError });
  await t.throwsAsync(() => new Response("x", { headers: { "content-type": "multipart/form-data" } }).formData(), { instanceOf: TypeError });
  await t.throwsAsync(() => new Response("garbage", { headers: { "content-type": "multipart/form-data; boundary=b" } }).formData(), { instanceOf: TypeError });
});

test("Headers given to Request and Response are copied, and guards allow app changes", (t) => {
  const headers = new Headers({ a: "1" });
  const response = new Response("x", { headers });
  headers.set("a", "2");
  t.is(response.headers.get("a"), "1");
  response.headers.set("b", "3");
  t.is(response.headers.get("b"), "3");
});
