/**
 * apps/hono — a todo REST API written with the npm package hono, bundled unchanged — booted
 * from its image (`skiff build hono`, qemu -initrd) on a tap in a private network, against
 * curl and Node's fetch: every route and each status it answers (200, 201 + Location, 204,
 * 400, 404, 405 + Allow, 413, 415, 422), JSON error bodies, Hono's middleware at work
 * (X-Request-Id on every response, the logger's lines on the guest's console). One VM for
 * the file; the tests run in order on one list. Clients run with execAsync so the guest's
 * console keeps draining (tests/helpers/netns.ts says why).
 */
import test from "ava";
import { httpAppVm } from "../helpers/http_app_vm.ts";

const app = httpAppVm("hono", { fromImage: true });

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** curl in the namespace; the head (-i) split from the body. */
async function curl(method: string, target: string, json?: string, extra: readonly string[] = []): Promise<Answer> {
  const body = json === undefined ? [] : ["-H", "Content-Type: application/json", "--data-binary", json];
  const result = await app.network.execAsync(["curl", "-sS", "--max-time", "30", "-i", "-X", method, ...body, ...extra, `${app.base}${target}`], { timeoutMs: 40_000 });
  if (result.status !== 0) throw new Error(`curl -X ${method} ${target} failed (${result.status}): ${result.stderr}\n${app.output().slice(-2000)}`);
  const split = result.stdout.indexOf("\r\n\r\n");
  const [statusLine = "", ...fields] = result.stdout.slice(0, split).split("\r\n");
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(":");
    headers[field.slice(0, colon).toLowerCase()] = field.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: result.stdout.slice(split + 4) };
}

test.serial("GET / describes the API; every response carries X-Request-Id (Hono's requestId middleware)", async (t) => {
  const index = await curl("GET", "/");
  t.is(index.status, 200, app.output());
  t.is(index.headers["content-type"], "application/json");
  t.deepEqual(JSON.parse(index.body), { name: "todos", routes: ["GET /todos", "POST /todos", "GET /todos/:id", "PATCH /todos/:id", "DELETE /todos/:id"] });
  t.regex(index.headers["x-request-id"] ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "a random UUID from the kernel's crypto");
  t.is((await curl("GET", "/", undefined, ["-H", "X-Request-Id: trace-7"])).headers["x-request-id"], "trace-7");
});

test.serial("POST /todos: 201 with Location and the todo; GET /todos lists it; GET /todos/:id gives it", async (t) => {
  t.deepEqual(JSON.parse((await curl("GET", "/todos")).body), []);
  const created = await curl("POST", "/todos", '{"title":"boot a VM"}');
  t.is(created.status, 201);
  t.is(created.headers.location, "/todos/1");
  const todo = JSON.parse(created.body) as { id: number; title: string; done: boolean; createdAt: string };
  t.like(todo, { id: 1, title: "boot a VM", done: false });
  t.regex(todo.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  t.is((await curl("POST", "/todos", '{"title":"serve JSON","done":true}')).status, 201);
  const list = await curl("GET", "/todos");
  t.is(list.status, 200);
  t.deepEqual((JSON.parse(list.body) as Array<{ id: number }>).map((item) => item.id), [1, 2]);
  t.deepEqual((JSON.parse((await curl("GET", "/todos?done=true")).body) as Array<{ id: number }>).map((item) => item.id), [2]);
  const one = await curl("GET", "/todos/1");
  t.is(one.status, 200);
  t.deepEqual(JSON.parse(one.body), todo);
});

test.serial("PATCH /todos/:id: 200 with the change; DELETE: 204, then the todo is 404", async (t) => {
  const patched = await curl("PATCH", "/todos/1", '{"done":true}');
  t.is(patched.status, 200);
  t.like(JSON.parse(patched.body), { id: 1, title: "boot a VM", done: true });
  const deleted = await curl("DELETE", "/todos/1");
  t.is(deleted.status, 204);
  t.is(deleted.body, "");
  const gone = await curl("GET", "/todos/1");
  t.is(gone.status, 404);
  t.deepEqual(JSON.parse(gone.body), { error: "Cannot find todo 1" });
  t.is((await curl("PATCH", "/todos/1", '{"done":false}')).status, 404);
  t.is((await curl("DELETE", "/todos/1")).status, 404);
});

test.serial("errors are JSON: 400 not JSON, 415 another type, 422 the wrong shape, 413 too big, 404 no route, 405 with Allow", async (t) => {
  const notJson = await curl("POST", "/todos", "{ not json");
  t.is(notJson.status, 400);
  t.deepEqual(JSON.parse(notJson.body), { error: "Cannot parse the body: it is not JSON" });
  const form = await curl("POST", "/todos", undefined, ["--data", "title=x"]);
  t.is(form.status, 415);
  const shape = await curl("POST", "/todos", '{"title":""}');
  t.is(shape.status, 422);
  t.deepEqual(JSON.parse(shape.body), { error: 'Cannot accept the todo: "title" must be a string of 1 to 200 characters' });
  const big = await curl("POST", "/todos", JSON.stringify({ title: "x".repeat(20_000) }));
  t.is(big.status, 413);
  t.is((await curl("GET", "/nowhere")).status, 404);
  t.is((await curl("GET", "/todos/abc")).status, 404);
  const put = await curl("PUT", "/todos/2", '{"title":"x"}');
  t.is(put.status, 405);
  t.is(put.headers.allow, "GET, HEAD, PATCH, DELETE");
  t.is((await app.network.execAsync(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-I", `${app.base}/todos/2`])).stdout, "200", "HEAD of a GET route");
});

test.serial("Node's fetch: a whole todo's life in one client, then the logger's lines are on the guest's console", async (t) => {
  const script = `
    const base = process.argv[1];
    const json = { "content-type": "application/json" };
    const created = await fetch(base + "/todos", { method: "POST", headers: json, body: JSON.stringify({ title: "from undici" }) });
    const location = created.headers.get("location");
    const patched = await fetch(base + location, { method: "PATCH", headers: json, body: JSON.stringify({ done: true }) });
    const fetched = await (await fetch(base + location)).json();
    const deleted = await fetch(base + location, { method: "DELETE" });
    const after = await fetch(base + location);
    console.log(JSON.stringify({ created: created.status, location, patched: patched.status, fetched, deleted: deleted.status, after: after.status }));`;
  const result = await app.network.execAsync(["node", "--input-type=module", "-e", script, app.base], { timeoutMs: 60_000 });
  t.is(result.status, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { created: number; location: string; patched: number; fetched: { title: string; done: boolean }; deleted: number; after: number };
  t.is(out.created, 201);
  t.regex(out.location, /^\/todos\/\d+$/);
  t.is(out.patched, 200);
  t.like(out.fetched, { title: "from undici", done: true });
  t.is(out.deleted, 204);
  t.is(out.after, 404);
  const guestLines = app.output().replace(/\x1b\[\d+m/g, "").split("\n"); // the logger colours the status
  t.true(guestLines.includes("<-- POST /todos"), app.output());
  t.true(guestLines.some((line) => /^--> POST \/todos 201 \d+m?s$/.test(line)), app.output());
  t.true(guestLines.some((line) => /^--> PUT \/todos\/2 405 \d+m?s$/.test(line)), app.output());
});
