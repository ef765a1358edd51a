/**
 * loader/: starting apps. Today one app per boot through platform.loadApp; hot reload
 * (dispose/start with state handed over) comes later.
 */

export { MAX_RESTARTS, RESTART_PAUSE_MS, runApp } from "./run_app.ts";
export { appSettings } from "./app_settings.ts";
export type { AppSettings } from "./app_settings.ts";
export type { AppRun } from "./run_app.ts";
