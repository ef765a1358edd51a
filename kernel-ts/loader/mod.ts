/**
 * loader/: starting apps. Today one app per boot through platform.loadApp; hot reload
 * (dispose/start with state handed over) comes later.
 */

export { runApp } from "./run_app.ts";
export type { AppRun } from "./run_app.ts";
