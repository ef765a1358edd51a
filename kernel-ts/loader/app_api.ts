/**
 * app_api: the app API every app context is given, as data the loader keeps for the machine's
 * life: the kernel's part (console, the timers: each app's own timers go over them, app_life.ts)
 * and the web globals (kernel-ts/web) of the API's current code. At boot that code is the
 * kernel's own copy; a reload of the app API (`skiff dev`, reload_api.ts) makes the web globals
 * of a newer build and puts them here, and every app loaded from then on — a reload, a restart —
 * gets them.
 */

import type { AppGlobals } from "../globals.ts";
import type { ApiDeps } from "../web/module.ts";

export interface AppApiState {
  /** What an app context gets now: `base`, then the current code's web globals. */
  globals: AppGlobals;
  /** The kernel's part: console and the timers. */
  readonly base: AppGlobals;
  /** What a newer build's web globals are made over. */
  readonly deps: ApiDeps;
  /** How many times the API was replaced (0: the kernel's own copy). */
  generation: number;
}
