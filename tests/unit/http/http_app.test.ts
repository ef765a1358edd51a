/**
 * loader/http_app over the real network stack: a fetch app served on skiff:net by one
 * stack (10.0.0.2), a raw HTTP/1.1 client on the other (10.0.0.1), both on one event loop
 * with the fake platform's virtual clock. Node's Request/Response play the web globals.
 */
import test from "ava";
import { createConsole } from "../../../kernel-ts/console/mod.ts";
import { httpPort, startHttpApp } from "../../../kernel-ts/loader/http_app.ts";
import { pair, run } from "../helpers/net_pair.ts";

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const show = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

test("httpPort: env.PORT, else the manifest's first port, else 8080; a bad PORT is an error", (t) => {
  t.is(httpPort({}), 8080);
  t.is(httpPort({}, [9000, 9001]), 9000);
  t.is(httpPort({ PORT: "81" }, [9000]), 81);
  t.throws(() => httpPort({ PORT: "http" }), { instanceOf: RangeError, message: /env\.PORT=http/ });
});

test("a fetch app answers over TCP: the URL, method, body and env reach it; keep-alive; the listening line", async (t) => {
  const { scheduler, a, b } = pair();
  const lines: string[] = [];
  const console = createConsole((bytes) => { lines.push(new TextDecoder().decode(bytes)); });
  const text = await run(scheduler, async () => {
    const server = await startHttpApp(async (request, env) => new Response(`${env.WHO} saw ${request.method} ${new URL(request.url).pathname} ${await request.text()}`), {
      name: "demo", env: { WHO: "skiff" }, console, ports: [80],
      timers: { setTimeout: (callback, ms) => scheduler.setTimeout(callback, ms), clearTimeout: (id) => scheduler.clearTimeout(id as number), nowMs: () => Date.now() },
      wallClockMs: () => Date.UTC(2026, 10, 28),
      listen: (options) => b.listen(options),
      address: async () => "10.0.0.2",
    });
    const client = await a.connect({ host: "10.0.0.2", port: 80 });
    await client.write(latin1("GET /one HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\nPOST /two HTTP/1.1\r\nHost: 10.0.0.2\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"));
    let reply = "";
    for (let chunk = await client.read(); chunk !== null; chunk = await client.read()) reply += show(chunk);
    client.close();
    server.close();
    await server.done;
    return reply;
  });
  t.regex(text, /^HTTP\/1\.1 200 OK\r\n[^]*content-length: 19\r\n\r\nskiff saw GET \/one HTTP\/1\.1 200 OK\r\n/);
  t.regex(text, /connection: close\r\n\r\nskiff saw POST \/two body$/);
  t.true(lines.some((line) => line.includes("skiff: app demo serving http://10.0.0.2:80/")), lines.join(""));
});
