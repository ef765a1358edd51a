/**
 * todo_app: a small REST API over a TodoStore, written with Hono (the npm package, bundled
 * unchanged: `app.fetch` is a web-standard fetch handler, which is what the kernel serves).
 *
 *   GET    /              what this is and its routes
 *   GET    /todos         every todo (?done=true|false filters)            200
 *   POST   /todos         {"title", "done"?} as JSON                       201 + Location
 *   GET    /todos/:id                                                      200, 404
 *   PATCH  /todos/:id     {"title"?, "done"?}                              200, 404
 *   DELETE /todos/:id                                                      204, 404
 *
 * Middleware, in order: Hono's logger (one line per request and response on the console),
 * requestId (X-Request-Id: the client's, when it is a plain token, else a random UUID),
 * methodNotAllowed (405 with Allow for a known path and another method), and bodyLimit on
 * bodies (413 past 16 KiB). Every error is JSON, `{"error": "…"}`: 400/415/422 for bodies
 * (todo_input.ts), 404 for unknown routes and todos, 507 when the list is full, and 500 —
 * logged with its stack — for anything else a handler throws.
 */

import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { logger } from "hono/logger";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { jsonBody, newTodo, todoChanges } from "./todo_input.ts";
import { StoreFull, type TodoStore } from "./todo_store.ts";

export const MAX_BODY_BYTES = 16 * 1024;
const ONE_TODO = "/todos/:id{[0-9]+}";

export function createTodoApp(store: TodoStore, log: (line: string) => void = console.log): Hono {
  const app = new Hono();
  app.use(logger(log));
  app.use(requestId());
  app.use(methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) => c.json({ error: `Cannot ${c.req.method} ${c.req.path}: it allows ${methods.join(", ")}` }, 405, { Allow: methods.join(", ") }),
  }));
  app.use("/todos/*", bodyLimit({ // "/todos/*" covers /todos itself too
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ error: `Cannot read a body of more than ${MAX_BODY_BYTES} bytes` }, 413),
  }));

  const todoId = (id: string): number => {
    const todo = Number(id);
    if (store.get(todo) === undefined) throw new HTTPException(404, { message: `Cannot find todo ${id}` });
    return todo;
  };

  app.get("/", (c) => c.json({
    name: "todos",
    routes: ["GET /todos", "POST /todos", "GET /todos/:id", "PATCH /todos/:id", "DELETE /todos/:id"],
  }));

  app.get("/todos", (c) => {
    const done = c.req.query("done");
    if (done !== undefined && done !== "true" && done !== "false") throw new HTTPException(400, { message: `Cannot filter by done=${done}: use true or false` });
    return c.json(store.list(done === undefined ? undefined : done === "true"));
  });

  app.post("/todos", async (c) => {
    const todo = store.add(newTodo(await jsonBody(c)));
    return c.json(todo, 201, { Location: `/todos/${todo.id}` });
  });

  app.get(ONE_TODO, (c) => c.json(store.get(todoId(c.req.param("id")))));

  app.patch(ONE_TODO, async (c) => {
    const id = todoId(c.req.param("id"));
    return c.json(store.update(id, todoChanges(await jsonBody(c))));
  });

  app.delete(ONE_TODO, (c) => {
    store.remove(todoId(c.req.param("id")));
    return c.body(null, 204);
  });

  app.notFound((c) => c.json({ error: `Cannot find ${c.req.method} ${c.req.path}` }, 404));

  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
    if (error instanceof StoreFull) return c.json({ error: error.message }, 507);
    log(`hono: ${c.req.method} ${c.req.path} failed: ${error.stack ?? error}`);
    return c.json({ error: "Internal Server Error" }, 500);
  });
  return app;
}
