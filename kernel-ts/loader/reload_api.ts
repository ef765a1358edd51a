/**
 * reload_api: a reload of the app API — the web globals apps get (kernel-ts/web: Request,
 * Response, Headers, URL, the streams…) — while the apps run (`skiff dev`; docs/hot-reload.md).
 * The development service evaluates the new build (kernel-ts/web/module.ts) in a context of
 * its own and hands its default export here. Then:
 *   1. the new build makes its web globals over the kernel's clock, random source, timers
 *      and ASCII codec, and they become the app API's (app_api.ts);
 *   2. every running fetch app is reloaded with them: the same code, evaluated afresh in a
 *      context with the new globals, its state handed over through dispose()/start(state) as
 *      in any app reload (reload_app.ts); requests in flight finish on the old generation, with
 *      the API it was loaded with;
 *   3. the HTTP server makes each app's Requests with, and checks its Responses against, the
 *      classes of the generation that serves the request (live_app.ts's `web`).
 * When an app refuses the new API (its start() throws, say), the API goes back to the code it
 * was, the apps already moved are reloaded back onto it, and the reload is rejected with the
 * app's error: afterwards every app runs on the API it had.
 *
 * The kernel's own uses of the web globals (its installed copy on its own global object) keep
 * the boot's code: this reload is for the apps. Part of the loader module (code_slot.ts), so
 * this procedure is reloadable too.
 */

import { describe, stackFrames } from "../report.ts";
import type { ApiCode } from "../web/module.ts";
import type { AppApiState } from "./app_api.ts";
import type { LiveApp } from "./live_app.ts";

/** The globals a new build must provide: the classes the HTTP server and apps rely on. */
const REQUIRED = ["Request", "Response", "Headers", "ReadableStream", "URL", "TextEncoder", "TextDecoder"];

/** Installs the app API of `candidate` (the new build's default export); resolves with the apps reloaded onto it. */
export async function reloadAppApi(api: AppApiState, apps: readonly LiveApp[], candidate: unknown): Promise<string[]> {
  const code = typeof candidate === "object" && candidate !== null ? candidate as Partial<ApiCode> : undefined;
  if (typeof code?.webGlobals !== "function") throw new TypeError("Cannot reload the app API: its default export lacks webGlobals()");
  const web = code.webGlobals(api.deps);
  const missing = REQUIRED.filter((name) => typeof web[name] !== "function");
  if (missing.length > 0) throw new TypeError(`Cannot reload the app API: its web globals lack ${missing.join(", ")}`);

  const old = api.globals;
  api.globals = { ...api.base, ...web };
  const moved: LiveApp[] = [];
  for (const app of apps) {
    try {
      await app.reload(undefined);
      moved.push(app);
    } catch (error) {
      api.globals = old;
      const stuck: string[] = [];
      for (const back of moved) await back.reload(undefined).catch(() => stuck.push(back.name));
      const frames = stackFrames(error);
      const note = stuck.length === 0 ? "every app keeps the API it had" : `${stuck.join(", ")} could not be moved back and run on the new API`;
      throw new Error(`Cannot reload the app API: app ${app.name} refused it (${describe(error)}${frames === "" ? "" : `\n${frames}`}); ${note}`);
    }
  }
  api.generation++;
  return moved.map((app) => app.name);
}
