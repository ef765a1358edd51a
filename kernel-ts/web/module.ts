/**
 * module: the app API's entry when it is built on its own for a reload (`skiff dev`,
 * host/dev/dev_build.ts): its default export makes the web globals of this build, which the
 * loader hands to every running app (kernel-ts/loader/reload_api.ts). The kernel's own bundle
 * does not use this file: boot installs mod.ts's copy (globals.ts).
 */

import { useAsciiCodec, type AsciiCodec } from "../ascii.ts";
import { webGlobals, type WebGlobalsDeps } from "./mod.ts";

/** What a reloaded copy of the app API's web globals is made over. */
export interface ApiDeps extends WebGlobalsDeps {
  /** The platform's native ASCII codec, which this copy's text codecs use as the kernel's do. */
  readonly ascii: AsciiCodec;
}

/** What a version of the app API provides (this module's default export). */
export interface ApiCode {
  webGlobals(deps: ApiDeps): Record<string, unknown>;
}

const code: ApiCode = {
  webGlobals(deps) {
    useAsciiCodec(deps.ascii);
    return webGlobals(deps);
  },
};
export default code;
