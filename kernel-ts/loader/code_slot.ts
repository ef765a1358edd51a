/**
 * code_slot: where the loader finds its reloadable code: one run of an app (app_run.ts:
 * load it, start it, serve it), the reload of an app's code (reload_app.ts) and of the app
 * API under every app (reload_api.ts). The kernel starts with the copy bundled into it; a
 * reload of the loader module (module.ts, the development channel: kernel-ts/reload/
 * service.ts) puts a newer one here, and the next run, restart or reload runs it. The restart
 * loop (app_life.ts), the boot's launch of every app (run_apps.ts), the live apps' handlers
 * (live_app.ts), the app API's state (app_api.ts) and this slot are resident: changing them
 * needs a reboot.
 */

import { CodeSlot } from "../reload/code_slot.ts";
import { runOnce } from "./app_run.ts";
import { reloadAppApi } from "./reload_api.ts";
import { reloadFetchApp } from "./reload_app.ts";

/** What a version of the loader module provides (module.ts's default export). */
export interface LoaderCode {
  readonly reloadFetchApp: typeof reloadFetchApp;
  readonly reloadAppApi: typeof reloadAppApi;
  readonly runOnce: typeof runOnce;
}

export const loaderCode = new CodeSlot<LoaderCode>("loader", { reloadFetchApp, reloadAppApi, runOnce });
