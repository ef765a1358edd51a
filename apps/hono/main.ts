/**
 * hono: a todo list REST API written with Hono (todo_app.ts), served by the kernel's HTTP/1.1
 * server on env.PORT, the manifest's port or 8080. Hono's app.fetch is a web-standard fetch
 * handler, so the app is Hono's own object: `export default app` — the kernel calls
 * app.fetch(request, env, ctx). The list lives in memory for as long as the machine runs.
 *
 * "linked": false: it runs from its image (`skiff run hono`), so Hono's bundle does not grow
 * the kernel ELF of every other app. "cpuBudgetMs": 1000, not the default 100: a request's
 * first synchronous slice runs Hono's whole dispatch (the first one also builds its router),
 * and on a busy host under qemu TCG that was seen to pass 100 ms of wall-clock time.
 */

import { createTodoApp } from "./todo_app.ts";
import { TodoStore } from "./todo_store.ts";

export default createTodoApp(new TodoStore());
