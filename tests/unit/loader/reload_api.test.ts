/**
 * A reload of the app API (kernel-ts/loader/reload_api.ts) on the fake platform: every running
 * fetch app is loaded again (from the boot image's app factory, then from its reloaded code)
 * with the new web globals, its state handed over through dispose()/start(state), and the HTTP
 * server's classes follow the app's generation; an app that refuses the new API puts every
 * app back on the API it had. Node's evaluate ignores a context's globals, so the classes a
 * generation was loaded with are read through LiveFetchApp.web, the server's view.
 */
import test from "ava";
import type { AppScope } from "../../../kernel-ts/globals.ts";
import type { ModuleNamespace } from "../../../kernel-ts/hal/platform.ts";
import type { AppApiState } from "../../../kernel-ts/loader/app_api.ts";
import { LiveFetchApp } from "../../../kernel-ts/loader/live_app.ts";
import { reloadAppApi } from "../../../kernel-ts/loader/reload_api.ts";
import { Watchdog } from "../../../kernel-ts/sched/mod.ts";
import { makeScheduler } from "../helpers/fake.ts";

let loads = 0;
const evaluate = async (text: string, url: string) =>
  (await import(`data:text/javascript;base64,${Buffer.from(`${text}\n//# sourceURL=${url}?load=${++loads}`).toString("base64")}`)) as ModuleNamespace;

/** A counter app; its start() throws while globalThis.refuse names it. */
const counter = (name: string) => `
let count = 0;
export default {
  fetch() { count++; return new Response("${name} " + count); },
  dispose() { return { count }; },
  start(state) {
    if (globalThis.refuse === "${name}") throw new Error("${name} refuses");
    if (state !== undefined) count = state.count;
  },
};`;

/** A build of the web globals whose classes are new (subclasses of Node's). */
function build(tag: string) {
  class TaggedRequest extends Request {}
  class TaggedResponse extends Response {}
  class TaggedHeaders extends Headers {}
  class TaggedStream<T> extends ReadableStream<T> {}
  const web = { Request: TaggedRequest, Response: TaggedResponse, Headers: TaggedHeaders, ReadableStream: TaggedStream, URL, TextEncoder, TextDecoder, tag };
  return { web, code: { webGlobals: () => web } };
}

async function machine() {
  const { platform, scheduler } = makeScheduler({ evaluate, apps: { a: () => evaluate(counter("a"), "a"), b: () => evaluate(counter("b"), "b") } });
  const watchdog = new Watchdog(platform, 100);
  const boot = build("boot");
  const api: AppApiState = { globals: { console, ...boot.web }, base: { console }, deps: {} as never, generation: 0 };
  const apps = await Promise.all(["a", "b"].map(async (name) => {
    const timers = scheduler.timerGroup(watchdog);
    const namespace = await platform.loadApp(name) as ModuleNamespace;
    return new LiveFetchApp({ name, platform, scheduler, watchdog, api: () => ({ scope: {} as AppScope, globals: api.globals }) },
      namespace.default as Record<string, unknown>, timers, api.globals);
  }));
  const get = async (app: LiveFetchApp) => (await (await app.handler(new Request("http://app/"), {}, { waitUntil: () => {} } as never)).text());
  return { api, apps, boot, get };
}

test.afterEach.always(() => { delete (globalThis as { refuse?: string }).refuse; });

test.serial("every app is loaded again with the new API, keeps its state, and the server's classes follow it", async (t) => {
  const { api, apps: [a, b], boot, get } = await machine();
  t.is(a!.web().Response, boot.web.Response);
  t.is(await get(a!), "a 1");
  t.is(await get(b!), "b 1");
  const next = build("next");
  t.deepEqual(await reloadAppApi(api, [a!, b!], next.code), ["a", "b"]);
  t.is(api.generation, 1);
  t.is(api.globals["tag"], "next");
  t.is(api.globals["console"], console, "the kernel's part stays");
  for (const app of [a!, b!]) {
    t.is(app.web().Request, next.web.Request);
    t.is(app.web().Response, next.web.Response);
  }
  t.is(await get(a!), "a 2", "the state came through dispose/start");
  t.is(await get(b!), "b 2");
  // An app reloaded with new code, then the API again: its latest code is what loads.
  await a!.reload(new TextEncoder().encode(counter("a").replace('"a "', '"a2 "')));
  await reloadAppApi(api, [a!, b!], build("third").code);
  t.is(await get(a!), "a2 3");
});

test.serial("an app that refuses the new API puts every app back on the API it had", async (t) => {
  const { api, apps: [a, b], boot, get } = await machine();
  await get(a!);
  (globalThis as { refuse?: string }).refuse = "b";
  const error = await t.throwsAsync(reloadAppApi(api, [a!, b!], build("next").code));
  t.regex(error!.message, /^Cannot reload the app API: app b refused it \(Error: b refuses[\s\S]*\); every app keeps the API it had$/);
  t.is(api.generation, 0);
  t.is(api.globals["tag"], "boot");
  t.is(a!.web().Response, boot.web.Response, "a was moved back");
  t.is(b!.web().Response, boot.web.Response, "b never left");
  t.is(await get(a!), "a 2", "a kept its state through both moves");
  t.is(await get(b!), "b 1");
});

test.serial("a build without webGlobals() or without the classes the server needs is refused before any app moves", async (t) => {
  const { api, apps } = await machine();
  await t.throwsAsync(reloadAppApi(api, apps, { other() {} }), { message: "Cannot reload the app API: its default export lacks webGlobals()" });
  await t.throwsAsync(reloadAppApi(api, apps, { webGlobals: () => ({ Request, URL }) }), { message: /its web globals lack Response, Headers, ReadableStream, TextEncoder, TextDecoder$/ });
  t.is(api.generation, 0);
});
