/**
 * module: the loader module's entry when it is built on its own for a reload (`skiff dev`):
 * its default export is what code_slot.ts keeps. The kernel's own bundle does not use it.
 */

import type { LoaderCode } from "./code_slot.ts";
import { runOnce } from "./app_run.ts";
import { reloadAppApi } from "./reload_api.ts";
import { reloadFetchApp } from "./reload_app.ts";

const code: LoaderCode = { reloadFetchApp, reloadAppApi, runOnce };
export default code;
