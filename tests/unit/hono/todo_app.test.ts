/**
 * apps/hono's todo API run under Node through Hono's own app.request (the same app.fetch the
 * kernel calls): every route and every status it answers — 200, 201 with Location, 204, 400,
 * 404, 405 with Allow, 413, 415, 422, 500 and 507 — the JSON error bodies, and the
 * middleware's work (the logger's lines, X-Request-Id). tests/vm/hono_app.test.ts runs the
 * app in a VM against curl.
 */
import test from "ava";
import { createTodoApp, MAX_BODY_BYTES } from "../../../apps/hono/todo_app.ts";
import { TodoStore, type Todo } from "../../../apps/hono/todo_store.ts";

const CLOCK = new Date("2026-11-28T12:00:00.000Z");

/** A store whose list() fails as a bug would: what the error handler's 500 is for. */
class BrokenStore extends TodoStore {
  override list(): Todo[] {
    throw new Error("the store broke");
  }
}

function makeApp(options: { maxTodos?: number; store?: TodoStore } = {}) {
  const lines: string[] = [];
  const store = options.store ?? new TodoStore({ ...options, now: () => CLOCK });
  const app = createTodoApp(store, (line) => lines.push(line.replace(/\x1b\[\d+m/g, "")));
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json", ...headers } } : { headers }),
    });
  return { app, store, lines, send };
}

test("POST /todos: 201, Location, the todo as JSON; GET /todos lists it and GET /todos/:id gives it", async (t) => {
  const { send } = makeApp();
  const created = await send("POST", "/todos", { title: "  write the tests  " });
  t.is(created.status, 201);
  t.is(created.headers.get("location"), "/todos/1");
  const todo = (await created.json()) as Todo;
  t.deepEqual(todo, { id: 1, title: "write the tests", done: false, createdAt: CLOCK.toISOString(), updatedAt: CLOCK.toISOString() });
  await send("POST", "/todos", { title: "ship", done: true });
  const list = await send("GET", "/todos");
  t.is(list.status, 200);
  t.deepEqual(((await list.json()) as Todo[]).map((item) => item.id), [1, 2]);
  t.deepEqual(((await (await send("GET", "/todos?done=true")).json()) as Todo[]).map((item) => item.id), [2]);
  t.deepEqual(((await (await send("GET", "/todos?done=false")).json()) as Todo[]).map((item) => item.id), [1]);
  t.is((await send("GET", "/todos?done=maybe")).status, 400);
  const one = await send("GET", "/todos/1");
  t.is(one.status, 200);
  t.deepEqual(await one.json(), todo);
});

test("PATCH changes the fields given; DELETE is 204 and the todo is gone (404 after); ids are not reused", async (t) => {
  const { send } = makeApp();
  await send("POST", "/todos", { title: "a" });
  const patched = await send("PATCH", "/todos/1", { done: true });
  t.is(patched.status, 200);
  t.like(await patched.json(), { id: 1, title: "a", done: true });
  t.like(await (await send("PATCH", "/todos/1", { title: "b" })).json(), { title: "b", done: true });
  const deleted = await send("DELETE", "/todos/1");
  t.is(deleted.status, 204);
  t.is(await deleted.text(), "");
  t.is((await send("GET", "/todos/1")).status, 404);
  t.is((await send("DELETE", "/todos/1")).status, 404);
  t.is((await send("PATCH", "/todos/1", { done: false })).status, 404);
  t.is(((await (await send("POST", "/todos", { title: "c" })).json()) as Todo).id, 2);
});

test("bodies: not JSON is 400, another media type 415, the wrong shape 422 naming every problem", async (t) => {
  const { send } = makeApp();
  const notJson = await send("POST", "/todos", "{ not json");
  t.is(notJson.status, 400);
  t.deepEqual(await notJson.json(), { error: "Cannot parse the body: it is not JSON" });
  const text = await send("POST", "/todos", "title=x", { "content-type": "application/x-www-form-urlencoded" });
  t.is(text.status, 415);
  t.deepEqual(await text.json(), { error: 'Cannot read a body sent as "application/x-www-form-urlencoded": send application/json' });
  const shape = await send("POST", "/todos", { titel: "x", done: "yes" });
  t.is(shape.status, 422);
  t.deepEqual(await shape.json(), { error: 'Cannot accept the todo: "titel" is not a field of a todo (title, done); "done" must be true or false; "title" is required' });
  for (const body of [[], "a string", { title: "" }, { title: "x".repeat(201) }, { title: 7 }]) {
    t.is((await send("POST", "/todos", JSON.stringify(body))).status, 422, JSON.stringify(body).slice(0, 40));
  }
  await send("POST", "/todos", { title: "a" });
  t.is((await send("PATCH", "/todos/1", {})).status, 422);
  t.is((await send("POST", "/todos", { title: "with charset" }, { "content-type": "application/json; charset=utf-8" })).status, 201);
});

test("unknown routes and ids that are not numbers are 404 as JSON; a known path with another method is 405 with Allow", async (t) => {
  const { send } = makeApp();
  const missing = await send("GET", "/nope");
  t.is(missing.status, 404);
  t.deepEqual(await missing.json(), { error: "Cannot find GET /nope" });
  t.is((await send("GET", "/todos/abc")).status, 404);
  t.is((await send("GET", "/todos/99999999999999999999")).status, 404);
  const put = await send("PUT", "/todos/1");
  t.is(put.status, 405);
  t.is(put.headers.get("allow"), "GET, HEAD, PATCH, DELETE");
  t.is((await send("DELETE", "/todos")).headers.get("allow"), "GET, HEAD, POST");
});

test("a body over 16 KiB is 413; a full list is 507; a handler that throws is 500, logged with its stack", async (t) => {
  const { send } = makeApp({ maxTodos: 1 });
  const big = await send("POST", "/todos", { title: "x".repeat(MAX_BODY_BYTES) });
  t.is(big.status, 413);
  t.deepEqual(await big.json(), { error: `Cannot read a body of more than ${MAX_BODY_BYTES} bytes` });
  t.is((await send("POST", "/todos", { title: "one" })).status, 201);
  const full = await send("POST", "/todos", { title: "two" });
  t.is(full.status, 507);
  t.deepEqual(await full.json(), { error: "Cannot add a todo: the list already holds 1, its most" });
  const { send: sendBroken, lines } = makeApp({ store: new BrokenStore() });
  const broken = await sendBroken("GET", "/todos");
  t.is(broken.status, 500);
  t.deepEqual(await broken.json(), { error: "Internal Server Error" });
  t.true(lines.some((line) => line.startsWith("hono: GET /todos failed: Error: the store broke\n    at ")), lines.join("\n"));
});

test("middleware: the logger's two lines per request, X-Request-Id kept when it is a token and made otherwise", async (t) => {
  const { send, lines } = makeApp();
  const given = await send("GET", "/", undefined, { "x-request-id": "trace-42" });
  t.is(given.headers.get("x-request-id"), "trace-42");
  t.regex((await send("GET", "/", undefined, { "x-request-id": "not a token!" })).headers.get("x-request-id") ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.is(lines[0], "<-- GET /");
  t.regex(lines[1] ?? "", /^--> GET \/ 200 \d+ms$/);
  t.deepEqual(await (await send("GET", "/")).json(), { name: "todos", routes: ["GET /todos", "POST /todos", "GET /todos/:id", "PATCH /todos/:id", "DELETE /todos/:id"] });
});
