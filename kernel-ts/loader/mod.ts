/**
 * loader/: starting apps, each in a context of its own, several per machine (run_apps.ts,
 * app_life.ts, app_run.ts), and replacing them while they run (hot reload: live_app.ts,
 * reload_app.ts, reload_api.ts; the reloadable part sits in code_slot.ts).
 */

export { MAX_RESTARTS, RESTART_PAUSE_MS } from "./app_life.ts";
export { runApps } from "./run_apps.ts";
export { appSettings, bootImageMetadata, imageManifest } from "./app_settings.ts";
export type { AppSettings } from "./app_settings.ts";
export type { AppEnd, AppLaunch, AppRun } from "./app_life.ts";
