/**
 * The kernel's HTTP/1.1 server (kernel-ts/http) serving apps/test-http, against real
 * clients on the Linux side of a private network: curl (keep-alive, chunked upload,
 * Expect: 100-continue, HEAD, a streaming response), Node's own fetch (undici), and a
 * corpus of malformed requests sent as raw bytes — each answered with its status, the
 * server still serving after every one. One VM for the file; tests run in order.
 */
import test from "ava";
import { httpAppVm } from "../helpers/http_app_vm.ts";

const app = httpAppVm("test-http");
/** Clients run without blocking the event loop (PrivateNetwork.execAsync says why). */
function curl(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return app.network.execAsync(["curl", "-sS", "--max-time", "30", ...args], { timeoutMs: 40_000 });
}

test.serial("curl: GET with Content-Length, then keep-alive: two requests on one connection", async (t) => {
  const result = await curl(["-v", `${app.base}/hello`, `${app.base}/hello`]);
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout, "hello, world\nhello, world\n");
  t.regex(result.stderr, /< HTTP\/1\.1 200 OK/);
  t.regex(result.stderr, /< content-length: 13/i);
  t.regex(result.stderr, /Re-using existing connection|Reusing existing connection/, "the second request reused the connection");
});

test.serial("curl: a 1 MiB chunked upload comes back bit-exact; Expect: 100-continue gets 100 Continue", async (t) => {
  const file = `/tmp/skiff-http-upload-${app.network.index}`;
  const made = await app.network.execAsync(["sh", "-c", `head -c 1048576 /dev/urandom > ${file}; sha256sum ${file}`]);
  const sum = made.stdout.split(" ")[0]!;
  const result = await app.network.execAsync(["sh", "-c", `curl -sS --max-time 60 -v -H 'Transfer-Encoding: chunked' -H 'Expect: 100-continue' --data-binary @${file} ${app.base}/echo | sha256sum; rm -f ${file}`], { timeoutMs: 90_000 });
  t.is(result.status, 0, result.stderr);
  t.is(result.stdout.split(" ")[0], sum);
  t.regex(result.stderr, /< HTTP\/1\.1 100 Continue/);
  t.regex(result.stderr, /< x-body-length: 1048576/i);
});

test.serial("curl: HEAD gets GET's fields and no body; a streaming response arrives chunked, line by line", async (t) => {
  const head = await curl(["-I", `${app.base}/hello`]);
  t.is(head.status, 0, head.stderr);
  t.regex(head.stdout, /^HTTP\/1\.1 200 OK\r\n/);
  t.regex(head.stdout, /content-length: 13\r\n/i);
  const stream = await curl(["-v", `${app.base}/stream?n=5`]);
  t.is(stream.status, 0, stream.stderr);
  t.is(stream.stdout, "line 1\nline 2\nline 3\nline 4\nline 5\n");
  t.regex(stream.stderr, /< transfer-encoding: chunked/i);
});

test.serial("Node's fetch (undici): JSON, request headers, a POST body", async (t) => {
  const script = `
    const base = process.argv[1];
    const json = await (await fetch(base + "/headers", { headers: { "x-test": "yes" } })).json();
    const echoed = await fetch(base + "/echo", { method: "POST", body: "from undici" });
    console.log(JSON.stringify({ json, echoed: await echoed.text(), status: echoed.status }));`;
  const result = await app.network.execAsync(["node", "--input-type=module", "-e", script, app.base], { timeoutMs: 60_000 });
  t.is(result.status, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { json: { method: string; url: string; headers: Record<string, string> }; echoed: string; status: number };
  t.is(out.json.method, "GET");
  t.is(out.json.url, `${app.base}/headers`);
  t.is(out.json.headers["x-test"], "yes");
  t.is(out.echoed, "from undici");
  t.is(out.status, 200);
});

test.serial("a handler that throws gets 500 and the server keeps serving", async (t) => {
  const thrown = await curl(["-o", "/dev/null", "-w", "%{http_code}", `${app.base}/throw`]);
  t.is(thrown.stdout, "500");
  t.is((await curl([`${app.base}/hello`])).stdout, "hello, world\n");
});

/** Sends raw bytes, returns what the server answered until it closed (or 15 s). */
async function raw(request: string): Promise<string> {
  const script = `
    const socket = require("net").connect(8080, process.argv[1], () => socket.write(Buffer.from(process.argv[2], "latin1")));
    let reply = "";
    socket.on("data", (chunk) => { reply += chunk.toString("latin1"); });
    socket.on("close", () => { process.stdout.write(reply); });
    socket.on("error", () => {});
    setTimeout(() => { process.stdout.write(reply); process.exit(0); }, 15000).unref();`;
  return (await app.network.execAsync(["node", "-e", script, app.network.guestAddress, request], { timeoutMs: 30_000 })).stdout;
}

test.serial("malformed requests: each gets its 4xx/5xx, and the server is still serving after every one", async (t) => {
  const corpus: Array<[string, string, number]> = [
    ["no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400],
    ["garbage request line", "HELLO\r\n\r\n", 400],
    ["space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400],
    ["obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400],
    ["both Content-Length and Transfer-Encoding", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["bad chunk size", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400],
    ["body over the limit", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n", 413],
    ["request line over the limit", `GET /${"a".repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
    ["header section over the limit", `GET / HTTP/1.1\r\nHost: x\r\nX: ${"b".repeat(20000)}\r\n\r\n`, 431],
    ["HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505],
    ["unknown transfer coding", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501],
  ];
  for (const [what, request, status] of corpus) {
    const reply = await raw(request);
    t.regex(reply, new RegExp(`^HTTP/1\\.1 ${status} `), `${what}: ${JSON.stringify(reply.slice(0, 80))}\n${app.output().slice(-1500)}`);
    t.is((await curl([`${app.base}/hello`])).stdout, "hello, world\n", `still serving after: ${what}`);
  }
});

test.serial("a slowloris client trickling its head is cut off (408) while others are served", async (t) => {
  const script = `
    const socket = require("net").connect(8080, process.argv[1], () => socket.write("GET /hello HTTP/1.1\\r\\n"));
    const drip = setInterval(() => socket.write("X-Slow: " + Date.now() + "\\r\\n"), 1000);
    let reply = "";
    socket.on("data", (chunk) => { reply += chunk; });
    socket.on("close", () => { clearInterval(drip); console.log(JSON.stringify({ reply })); });
    socket.on("error", () => {});`;
  const slow = app.network.spawn(["node", "-e", script, app.network.guestAddress]);
  let out = "";
  slow.stdout?.on("data", (chunk: Buffer) => { out += chunk.toString(); });
  const closed = new Promise<void>((resolve) => slow.on("close", () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  t.is((await curl([`${app.base}/hello`])).stdout, "hello, world\n", "served while the slow client drips");
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  const { reply } = JSON.parse(out || '{"reply":""}') as { reply: string };
  t.regex(reply, /^HTTP\/1\.1 408 Request Timeout\r\n/);
});
