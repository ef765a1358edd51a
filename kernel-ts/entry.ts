/**
 * entry: the bundle entry for QuickJS (build/js/kernel.js, compiled to bytecode for the
 * VM, and run by the hosted-quickjs runner). `skiff:hal` is the native module the shim (or
 * the hosted runner) registers; it stays an import in the bundle.
 *
 * Assigning the module namespace to a `Platform` makes tsc check that skiff:hal's exports
 * match the HAL contract.
 */

import * as hal from "skiff:hal";
import type { Platform } from "./hal/platform.ts";
import { start } from "./main.ts";

const platform: Platform = hal;

start(platform).catch(() => {
  // Only a hosted platform's poweroff exception lands here: the machine is already off,
  // and no further kernel JS may run (platform.ts, poweroff).
});
