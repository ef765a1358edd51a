/**
 * http/connection: a fetch handler served over an in-memory byte stream, as a client on
 * the wire sees it — keep-alive, pipelining, Content-Length and chunked both ways, 100
 * Continue, HEAD, the refusals, a throwing handler, the timeouts. Node's own Request and
 * Response play the web globals here (the kernel's are tested against them in tests/unit/web).
 */
import test from "ava";
import type { FetchHandler, WebClasses } from "../../../kernel-ts/http/connection.ts";
import * as kernelWeb from "../../../kernel-ts/web/mod.ts";
import { serveConnection } from "../../../kernel-ts/http/server.ts";
import { resolveLimits, type HttpLimits } from "../../../kernel-ts/http/limits.ts";
import type { ByteStream } from "../../../kernel-ts/http/request_reader.ts";

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const show = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** The server's end of a connection: what the client sent, what the server wrote. */
class Wire implements ByteStream {
  readonly written: Uint8Array[] = [];
  closedBy: "close" | "abort" | undefined;
  #incoming: Array<Uint8Array | null> = [];
  #waiting: ((bytes: Uint8Array | null) => void) | undefined;
  #onWrite: (() => void)[] = [];

  send(text: string | Uint8Array): void {
    const bytes = typeof text === "string" ? latin1(text) : text;
    this.#push(bytes);
  }
  end(): void { this.#push(null); }
  #push(bytes: Uint8Array | null): void {
    if (this.#waiting) { const wake = this.#waiting; this.#waiting = undefined; wake(bytes); }
    else this.#incoming.push(bytes);
  }
  read(): Promise<Uint8Array | null> {
    if (this.#incoming.length > 0) return Promise.resolve(this.#incoming.shift()!);
    if (this.closedBy) return Promise.resolve(null);
    return new Promise((resolve) => { this.#waiting = resolve; });
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.written.push(bytes.slice());
    for (const wake of this.#onWrite.splice(0)) wake();
  }
  closeWrite(): void {}
  close(): void { this.closedBy ??= "close"; this.#waiting?.(null); }
  abort(): void { this.closedBy ??= "abort"; this.#waiting?.(null); }
  get text(): string { return this.written.map(show).join(""); }
  /** Resolves once the output contains `pattern`. */
  async until(pattern: RegExp): Promise<string> {
    while (!pattern.test(this.text)) await new Promise<void>((resolve) => { this.#onWrite.push(resolve); setTimeout(resolve, 50); });
    return this.text;
  }
}

/** A wire with skiff:net Connection's writeSome: it takes at most `room` bytes a call, write() the rest. */
class ConnectionWire extends Wire {
  writeSomeCalls = 0;
  constructor(readonly room: number) { super(); }
  writeSome(bytes: Uint8Array): number {
    this.writeSomeCalls++;
    const taken = Math.min(this.room, bytes.length);
    if (taken > 0) this.written.push(bytes.slice(0, taken));
    return taken;
  }
}

function serve(handler: FetchHandler, limits: Partial<HttpLimits> = {}, wire: Wire = new Wire(), web?: WebClasses) {
  const errors: unknown[] = [];
  const done = serveConnection(wire, {
    handler, env: { GREETING: "hi" }, limits: resolveLimits({ idleMs: 200, headTimeoutMs: 300, bodyIdleMs: 300, ...limits }),
    timers: { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout), nowMs: () => performance.now() },
    wallClockMs: () => Date.UTC(2026, 10, 28, 12, 0, 0), localAuthority: "10.0.0.2:8080",
    reportError: (_what, error) => errors.push(error),
    ...(web !== undefined ? { web: () => web } : {}),
  });
  return { wire, done, errors };
}

const hello: FetchHandler = (request) => new Response(`hello ${new URL(request.url).pathname}\n`, { headers: { "content-type": "text/plain" } });

test("a GET is answered with Content-Length and Date; keep-alive carries a second request", async (t) => {
  const { wire, done } = serve(hello);
  wire.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  await wire.until(/hello \/a\n$/);
  wire.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  const text = await wire.until(/hello \/b\n$/);
  t.regex(text, /^HTTP\/1\.1 200 OK\r\ncontent-type: text\/plain\r\ndate: Sat, 28 Nov 2026 12:00:00 GMT\r\ncontent-length: 9\r\n\r\nhello \/a\n/);
  wire.end();
  await done;
  t.is(wire.closedBy, "close");
});

test("with the kernel's Response, a stream with writeSome gets a known-bytes answer in one piece, or its rest through write()", async (t) => {
  const web = kernelWeb as unknown as WebClasses; // the kernel's classes: their byte bodies are taken whole
  const body = "x".repeat(300);
  const answer: FetchHandler = () => new kernelWeb.Response(body) as unknown as Response;
  for (const room of [Infinity, 40]) {
    const { wire, done } = serve(answer, {}, new ConnectionWire(room), web);
    wire.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
    await wire.until(new RegExp(`${body}$`));
    wire.send("GET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    await done;
    const responses = wire.text.split(/(?=HTTP\/1\.1 200 OK)/);
    t.is(responses.length, 2, `room ${room}`);
    for (const response of responses) t.regex(response, new RegExp(`^HTTP/1\\.1 200 OK\r\ncontent-type: text/plain;charset=UTF-8\r\ndate: [^\r]+\r\ncontent-length: 300\r\n(connection: close\r\n)?\r\n${body}$`), `room ${room}`);
    t.is((wire as ConnectionWire).writeSomeCalls, 2, `room ${room}: one writeSome per response`);
    t.is(wire.written.length, room === Infinity ? 2 : 4, `room ${room}: the rest of each went through write()`);
  }
});

test("pipelined requests are answered in order", async (t) => {
  const { wire, done } = serve(hello);
  wire.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  await done;
  const bodies = [...wire.text.matchAll(/hello (\/\d)/g)].map((m) => m[1]);
  t.deepEqual(bodies, ["/1", "/2", "/3"]);
  t.regex(wire.text, /connection: close\r\n\r\nhello \/3\n$/);
});

test("a Content-Length body and a chunked body reach the handler; env is passed", async (t) => {
  const echo: FetchHandler = async (request, env) => new Response(`${env.GREETING} ${request.method} ${await request.text()}`);
  const { wire, done } = serve(echo);
  wire.send("POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel");
  wire.send("lo");
  await wire.until(/hi POST hello$/);
  wire.send("PUT /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  await wire.until(/hi PUT abcde$/);
  wire.end();
  await done;
  t.pass();
});

test("a streaming response goes chunked to HTTP/1.1 and close-delimited to HTTP/1.0", async (t) => {
  const streaming: FetchHandler = () => new Response(new ReadableStream({
    async start(controller) {
      controller.enqueue(latin1("first,"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.enqueue(latin1("second"));
      controller.close();
    },
  }));
  const one = serve(streaming);
  one.wire.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  const text = await one.wire.until(/0\r\n\r\n$/);
  t.regex(text, /transfer-encoding: chunked\r\n\r\n6\r\nfirst,\r\n6\r\nsecond\r\n0\r\n\r\n$/);
  one.wire.end();
  await one.done;
  const old = serve(streaming);
  old.wire.send("GET / HTTP/1.0\r\n\r\n");
  await old.done;
  t.regex(old.wire.text, /connection: close\r\n\r\nfirst,second$/);
  t.notRegex(old.wire.text, /transfer-encoding/);
});

test("HEAD gets the GET's fields and no body; 204 has no body", async (t) => {
  const { wire, done } = serve((request) => new Response(request.method === "HEAD" || new URL(request.url).pathname === "/get" ? "twelve bytes" : null, { status: new URL(request.url).pathname === "/none" ? 204 : 200 }));
  wire.send("HEAD /get HTTP/1.1\r\nHost: x\r\n\r\nGET /none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  await done;
  t.regex(wire.text, /^HTTP\/1\.1 200 OK\r\ncontent-type: text\/plain;charset=UTF-8\r\ndate: [^\r]+\r\ncontent-length: 12\r\n\r\nHTTP\/1\.1 204 No Content\r\n/);
  t.notRegex(wire.text, /twelve bytes/);
});

test("Expect: 100-continue gets 100 when the handler reads the body, and not when it does not", async (t) => {
  const reads: FetchHandler = async (request) => new Response(`got ${(await request.arrayBuffer()).byteLength}`);
  const { wire, done } = serve(reads);
  wire.send("PUT /f HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  await wire.until(/100 Continue\r\n\r\n$/);
  wire.send("data");
  await wire.until(/got 4$/);
  wire.end();
  await done;
  const refuses = serve(() => new Response("no thanks", { status: 403 }));
  refuses.wire.send("PUT /f HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  await refuses.done;
  t.notRegex(refuses.wire.text, /100 Continue/);
  t.regex(refuses.wire.text, /^HTTP\/1\.1 403 Forbidden\r\n[^]*connection: close\r\n\r\nno thanks$/);
});

test("malformed requests get their status and the connection closes", async (t) => {
  for (const [request, status] of [
    ["GET / HTTP/1.1\r\n\r\n", 400],
    ["GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505],
    [`GET /${"a".repeat(9000)} HTTP/1.1\r\n`, 414],
    [`GET / HTTP/1.1\r\nHost: x\r\nX: ${"a".repeat(17000)}\r\n\r\n`, 431],
    ["POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", 413],
  ] as const) {
    const { wire, done } = serve(hello);
    wire.send(request);
    await done;
    t.regex(wire.text, new RegExp(`^HTTP/1\\.1 ${status} `), request.slice(0, 40));
    t.regex(wire.text, /connection: close\r\n/);
    t.is(wire.closedBy, "close");
  }
});

test("a handler that throws gets 500 and the connection keeps serving", async (t) => {
  let calls = 0;
  const { wire, done, errors } = serve(() => {
    calls += 1;
    if (calls === 1) throw new Error("boom");
    return new Response("fine");
  });
  wire.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  await done;
  t.regex(wire.text, /^HTTP\/1\.1 500 Internal Server Error\r\n[^]*HTTP\/1\.1 200 OK\r\n[^]*fine$/);
  t.is((errors[0] as Error).message, "boom");
});

test("a slowloris client trickling its head is cut off with 408; an idle keep-alive connection closes", async (t) => {
  const { wire, done } = serve(hello);
  wire.send("GET / HTTP/1.1\r\n");
  const trickle = setInterval(() => wire.send("X-A: b\r\n"), 50);
  await done;
  clearInterval(trickle);
  t.regex(wire.text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  const idle = serve(hello);
  idle.wire.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  await idle.done; // no second request within idleMs
  t.regex(idle.wire.text, /hello \/\n$/);
  t.is(idle.wire.closedBy, "close");
});

test("a body that breaks its framing while the handler reads it is answered with that status", async (t) => {
  const reads: FetchHandler = async (request) => new Response(`got ${(await request.arrayBuffer()).byteLength}`);
  const { wire, done, errors } = serve(reads);
  wire.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  await done;
  t.regex(wire.text, /^HTTP\/1\.1 400 Bad Request\r\n[^]*chunk size "zz"/);
  t.is(wire.closedBy, "close");
  t.true(errors.length <= 1);
});
