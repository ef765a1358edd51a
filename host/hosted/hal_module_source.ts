/**
 * The JavaScript source of the module `skiff:hal` under the hosted-quickjs runner: a thin
 * layer inside the VM that checks arguments (TypeError/RangeError for misuse, as platform.ts
 * asks) and moves bytes, over the host functions quickjs_platform.ts installs. The host
 * functions arrive on a global that this module deletes as it is evaluated, so afterwards
 * they are reachable only through `skiff:hal`, as in the VM.
 *
 * Bytes cross the boundary as ArrayBuffer copies: quickjs-emscripten can copy an
 * ArrayBuffer out of the VM and create one in it, but cannot write into an existing one.
 */
export const hostGlobalName = "__skiffHostedHal";

export const halModuleSource = `
const host = globalThis.${hostGlobalName};
delete globalThis.${hostGlobalName};

function bytesArgument(value, fn) {
  if (!(value instanceof Uint8Array)) throw new TypeError(\`Cannot call \${fn}: bytes must be a Uint8Array\`);
  return value;
}

export const name = "hosted-quickjs";

export function consoleWrite(bytes) {
  bytesArgument(bytes, "consoleWrite");
  if (bytes.length > 0) host.consoleWrite(bytes.slice().buffer);
}

export function cmdline() { return host.cmdline(); }
export function bootTimeline() { return JSON.parse(host.bootTimeline()); }
export function memoryStats() { return JSON.parse(host.memoryStats()); }
export function monotonicNs() { return host.monotonicNs(); }
export function wallClockMs() { return host.wallClockMs(); }

export function randomFill(bytes) {
  bytesArgument(bytes, "randomFill");
  if (bytes.length > 0) bytes.set(new Uint8Array(host.randomBytes(bytes.length)));
}

export function wait(deadlineNs) {
  if (typeof deadlineNs !== "number" || Number.isNaN(deadlineNs)) throw new TypeError("Cannot call wait: deadlineNs must be a number");
  return host.wait(deadlineNs);
}

export function yieldToJobs() { return host.yieldToJobs(); }

export function loadApp(appName) {
  if (typeof appName !== "string") throw new TypeError("Cannot call loadApp: name must be a string");
  return host.loadApp(appName);
}

export function onUnhandledRejection(handler) {
  if (typeof handler !== "function") throw new TypeError("Cannot call onUnhandledRejection: handler must be a function");
  host.onUnhandledRejection(handler);
}

export function poweroff(code) {
  if (typeof code !== "number") throw new TypeError("Cannot call poweroff: code must be a number");
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new RangeError(\`Cannot call poweroff: code \${code} is not an integer in 0-255\`);
  host.poweroff(code);
  throw new Error("poweroff returned");
}
`;
