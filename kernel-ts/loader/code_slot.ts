/**
 * code_slot: where the loader finds its reload procedures (reload_app.ts: an app's code;
 * reload_api.ts: the app API under every app). The kernel starts with the copy bundled into
 * it; a reload of the loader module (module.ts, the development channel:
 * kernel-ts/reload/service.ts) puts a newer one here, and the next reload runs it. Loading
 * apps at boot and at restart (app_life.ts, run_apps.ts), the live apps' handlers
 * (live_app.ts), the app API's state (app_api.ts) and this slot are resident: changing them
 * needs a reboot.
 */

import { CodeSlot } from "../reload/code_slot.ts";
import { reloadAppApi } from "./reload_api.ts";
import { reloadFetchApp } from "./reload_app.ts";

/** What a version of the loader module provides (module.ts's default export). */
export interface LoaderCode {
  readonly reloadFetchApp: typeof reloadFetchApp;
  readonly reloadAppApi: typeof reloadAppApi;
}

export const loaderCode = new CodeSlot<LoaderCode>("loader", { reloadFetchApp, reloadAppApi });
