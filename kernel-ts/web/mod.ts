/**
 * web: the web-standard globals apps get, in TypeScript that runs on QuickJS (which has
 * none of them): the public face of this folder.
 */

export { AbortController } from "./abort_controller.ts";
export { AbortSignal } from "./abort_signal.ts";
export { DOMException } from "./dom_exception.ts";
export { Event } from "./event.ts";
export { EventTarget } from "./event_target.ts";
export { atob, btoa } from "./encoding/base64.ts";
export { TextDecoder } from "./encoding/text_decoder.ts";
export { TextEncoder } from "./encoding/text_encoder.ts";
export { Headers } from "./fetch/headers.ts";
export { URL } from "./url/url.ts";
export { URLSearchParams } from "./url/url_search_params.ts";
