/**
 * console/: how the kernel and its apps print. A `console` object formatting like Node's
 * (util.format subset) and writing UTF-8 bytes through a sink (platform.consoleWrite).
 */

export { createConsole } from "./console.ts";
export type { ConsoleSink, KernelConsole } from "./console.ts";
export { format } from "./format.ts";
export { inspect, inspectError } from "./inspect.ts";
export { decodeUtf8, encodeUtf8 } from "./utf8.ts";
