/**
 * module: the HTTP module's entry when it is built on its own for a reload (`skiff dev`,
 * host/dev/dev_build.ts): its default export is what code_slot.ts keeps. The kernel's own
 * bundle does not use this file; it imports connection.ts directly.
 */

import { serveNext } from "./connection.ts";
import type { HttpCode } from "./code_slot.ts";

const code: HttpCode = { serveNext };
export default code;
