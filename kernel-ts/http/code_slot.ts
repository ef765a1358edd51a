/**
 * code_slot: where the kernel finds the HTTP module's code — serveNext (connection.ts) and
 * what it calls: the parser, the body framing, the response writer. The kernel starts with
 * the copy bundled into it; a reload (the development channel, kernel-ts/reload/service.ts)
 * puts a newer copy here, evaluated from module.ts's bundle in a context of its own. The
 * driver (server.ts: the accept loop and the loop over a connection's requests) reads the
 * slot at each request: requests from then on, on new and kept-alive connections alike,
 * run the new code, and a request in flight finishes on the code it started with. The driver
 * itself, and this slot, are kernel-resident: changing them needs a reboot.
 */

import { CodeSlot } from "../reload/code_slot.ts";
import { serveNext } from "./connection.ts";

/** What a version of the HTTP module provides (module.ts's default export). */
export interface HttpCode {
  readonly serveNext: typeof serveNext;
}

export const httpCode = new CodeSlot<HttpCode>("HTTP", { serveNext });
