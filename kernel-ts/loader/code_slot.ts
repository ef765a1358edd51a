/**
 * code_slot: where the loader finds its reload procedure (reload_app.ts). The kernel starts
 * with the copy bundled into it; a reload of the loader module (module.ts, the development
 * channel: kernel-ts/reload/service.ts) puts a newer one here, and the next app reload runs
 * it. Loading apps at boot and at restart (app_life.ts, run_apps.ts), the live apps' handlers
 * (live_app.ts) and this slot are resident: changing them needs a reboot.
 */

import { reloadFetchApp } from "./reload_app.ts";

/** What a version of the loader module provides (module.ts's default export). */
export interface LoaderCode {
  readonly reloadFetchApp: typeof reloadFetchApp;
}

export const loaderCode: { current: LoaderCode; generation: number } = { current: { reloadFetchApp }, generation: 0 };

/** Checks a reloaded module's default export and makes it current; throws TypeError when it is not loader code. */
export function installLoaderCode(candidate: unknown): void {
  if (typeof candidate !== "object" || candidate === null || typeof (candidate as { reloadFetchApp?: unknown }).reloadFetchApp !== "function") {
    throw new TypeError("Cannot reload the loader module: its default export has no reloadFetchApp()");
  }
  loaderCode.current = candidate as LoaderCode;
  loaderCode.generation++;
}
