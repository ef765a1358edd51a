/**
 * LiveFetchApp (kernel-ts/loader/live_app.ts), the reload of a running fetch app, on the fake
 * platform (its evaluateApp imports the new code's source): the handover through dispose()
 * and start(state), requests in flight finishing on the old code, and every refusal keeping
 * the old code serving with its state.
 */
import test from "ava";
import type { AppScope } from "../../../kernel-ts/globals.ts";
import type { ModuleNamespace } from "../../../kernel-ts/hal/platform.ts";
import { LiveFetchApp } from "../../../kernel-ts/loader/live_app.ts";
import { Watchdog } from "../../../kernel-ts/sched/mod.ts";
import { makeScheduler } from "../helpers/fake.ts";

let loads = 0;
const evaluate = async (text: string, url: string) =>
  (await import(`data:text/javascript;base64,${Buffer.from(`${text}\n//# sourceURL=${url}?load=${++loads}`).toString("base64")}`)) as ModuleNamespace;

/** A counter app's source; `version` tags its answers, `extra` goes first in start(). */
const counter = (version: string, extra = "") => `
let count = 0;
export default {
  async fetch(request) {
    count++;
    if (new URL(request.url).pathname === "/slow") await new Promise((resolve) => globalThis.testRelease = resolve);
    return new Response("${version} " + count);
  },
  dispose() { return { count }; },
  start(state) { ${extra} if (state !== undefined) count = state.count; },
};`;

async function liveApp(first: string) {
  const { platform, scheduler } = makeScheduler({ evaluate });
  const watchdog = new Watchdog(platform, 100);
  const api = () => ({ scope: {} as AppScope, globals: {} });
  const namespace = await evaluate(first, "first");
  const timers = scheduler.timerGroup(watchdog);
  const live = new LiveFetchApp({ name: "counter", platform, scheduler, watchdog, api }, namespace.default as Record<string, unknown>, timers, {});
  const get = async (path = "/") => (await (await live.handler(new Request(`http://app${path}`), {}, { waitUntil: () => {} } as never)).text());
  return { live, get, timers };
}

const code = (text: string) => new TextEncoder().encode(text);

test("reload hands the state over through dispose/start; a request in flight finishes on the old code", async (t) => {
  const { live, get } = await liveApp(counter("v1"));
  t.is(await get(), "v1 1");
  const slow = get("/slow"); // count 2, waits on the old code
  const times = await live.reload(code(counter("v2")));
  t.true(times.loadMs >= 0 && times.swapMs >= 0);
  t.is(await get(), "v2 3", "the new code took the count over");
  (globalThis as { testRelease?: () => void }).testRelease!();
  t.is(await slow, "v1 2", "the old code answered the request it had started");
});

test("a start() that throws is rejected; the old code gets its state back and keeps serving", async (t) => {
  const { live, get } = await liveApp(counter("v1"));
  await get();
  await t.throwsAsync(live.reload(code(counter("v2", 'throw new Error("no start");'))), { message: "no start" });
  t.is(await get(), "v1 2");
});

test("state that is not plain data, code without fetch(), and code that throws while loading are rejected", async (t) => {
  const { live, get } = await liveApp(counter("v1").replace("return { count };", "return { count, f() {} };"));
  await get();
  await t.throwsAsync(live.reload(code(counter("v2"))), { message: /dispose\(\) returned state that is not plain data/ });
  t.is(await get(), "v1 2");
  const plain = await liveApp(counter("v1"));
  await t.throwsAsync(plain.live.reload(code("export default { main() {} };")), { message: /the new code's default export has no fetch\(\)/ });
  await t.throwsAsync(plain.live.reload(code('throw new Error("load fails");')), { message: "load fails" });
  t.is(await plain.get(), "v1 1");
});

test("the old code's timers are dropped at the swap when no request of it is in flight", async (t) => {
  const { live, timers } = await liveApp(counter("v1"));
  timers.setInterval(() => {}, 1000);
  t.is(timers.armed(), 1);
  await live.reload(code(counter("v2")));
  t.is(timers.armed(), 0);
});
