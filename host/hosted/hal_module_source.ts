/**
 * The JavaScript source of the module `skiff:hal` under the hosted-quickjs runner: a thin
 * layer inside the VM that checks arguments (TypeError/RangeError for misuse, as platform.ts
 * asks) and moves bytes, over the host functions quickjs_platform.ts installs. The host
 * functions arrive on a global that this module deletes as it is evaluated, so afterwards
 * they are reachable only through `skiff:hal`, as in the VM.
 *
 * Bytes cross the boundary as ArrayBuffer copies: quickjs-emscripten can copy an
 * ArrayBuffer out of the VM and create one in it, but cannot write into an existing one.
 * So a disk read's bytes arrive when blockCompletions collects it (blockReadData), and the
 * Internet checksum runs here, in the VM, in plain JS.
 */
import { asciiDecode, asciiEncode } from "../../kernel-ts/hal/ascii.ts";
import { halfSipHash24 } from "../../kernel-ts/hal/halfsiphash.ts";

export const hostGlobalName = "__skiffHostedHal";

export const halModuleSource = `
const host = globalThis.${hostGlobalName};
delete globalThis.${hostGlobalName};

const deviceList = JSON.parse(host.devices());
/** Reads in flight, by id: the caller's buffer, filled when the completion is collected. */
const pendingReads = new Map();
const SECTOR = 512;

function deviceArgument(device, kind, fn) {
  if (typeof device !== "number") throw new TypeError(\`Cannot call \${fn}: device must be a number\`);
  const info = Number.isInteger(device) ? deviceList[device] : undefined;
  if (info === undefined) throw new RangeError(\`Cannot call \${fn}: there is no device \${device}\`);
  if (info.kind !== kind) throw new RangeError(\`Cannot call \${fn}: device \${device} is a \${info.kind} device, not \${kind}\`);
  return device;
}

function blockArguments(device, sector, buffer, fn) {
  deviceArgument(device, "block", fn);
  bytesArgument(buffer, fn);
  const info = blockInfos.get(device) ?? JSON.parse(host.blockInfo(device));
  blockInfos.set(device, info);
  if (!Number.isInteger(sector) || sector < 0) throw new RangeError(\`Cannot call \${fn}: sector \${sector} is not an integer >= 0\`);
  if (buffer.length === 0 || buffer.length % SECTOR !== 0) throw new RangeError(\`Cannot call \${fn}: \${buffer.length} bytes is not a positive multiple of \${SECTOR}\`);
  if (sector + buffer.length / SECTOR > info.sectors) throw new RangeError(\`Cannot call \${fn}: sectors \${sector}+\${buffer.length / SECTOR} pass the end (\${info.sectors})\`);
  return info;
}
const blockInfos = new Map();

function bytesArgument(value, fn) {
  if (!(value instanceof Uint8Array)) throw new TypeError(\`Cannot call \${fn}: bytes must be a Uint8Array\`);
  return value;
}

export const name = "hosted-quickjs";

/** Modules the kernel offers apps (defineModule); the loader's source reads them back. */
const definedModules = new Map();
const MODULE_NAME = /^skiff:[a-z][a-z0-9_-]{0,24}$/;

export function defineModule(moduleName, exports) {
  if (typeof moduleName !== "string") throw new TypeError("Cannot define module: name is not a string");
  if (typeof exports !== "object" || exports === null) throw new TypeError(\`Cannot define module \${moduleName}: exports is not an object\`);
  if (!MODULE_NAME.test(moduleName) || moduleName === "skiff:hal") {
    throw new RangeError(\`Cannot define module \${moduleName}: apps may import skiff:NAME modules other than skiff:hal\`);
  }
  definedModules.set(moduleName, exports);
  host.defineModule(moduleName, JSON.stringify(Object.keys(exports)));
}

/** Not part of the Platform: what the generated source of a defined module imports. */
export function definedModule(moduleName) {
  return definedModules.get(moduleName);
}

export function consoleWrite(bytes) {
  bytesArgument(bytes, "consoleWrite");
  if (bytes.length > 0) host.consoleWrite(bytes.slice().buffer);
}

export function cmdline() { return host.cmdline(); }
export function bootTimeline() { return JSON.parse(host.bootTimeline()); }
export function memoryStats() { return JSON.parse(host.memoryStats()); }
export function monotonicNs() { return host.monotonicNs(); }
export function wallClockMs() { return host.wallClockMs(); }

/** As hosted-node (kernel-ts/hal/deadline_after_the_fact.ts): fn runs to its end, the deadline is judged then. */
export function runWithDeadline(deadlineNs, fn) {
  if (typeof deadlineNs !== "number") throw new TypeError("Cannot run with a deadline: deadlineNs is not a number");
  if (Number.isNaN(deadlineNs)) throw new RangeError("Cannot run with a deadline: deadlineNs is NaN");
  if (typeof fn !== "function") throw new TypeError("Cannot run with a deadline: fn is not a function");
  try {
    fn();
  } catch (error) {
    if (host.monotonicNs() >= deadlineNs) return "deadline-passed";
    throw error;
  }
  return host.monotonicNs() >= deadlineNs ? "deadline-passed" : undefined;
}

export function randomFill(bytes) {
  bytesArgument(bytes, "randomFill");
  if (bytes.length > 0) bytes.set(new Uint8Array(host.randomBytes(bytes.length)));
}

export function wait(deadlineNs) {
  if (typeof deadlineNs !== "number" || Number.isNaN(deadlineNs)) throw new TypeError("Cannot call wait: deadlineNs must be a number");
  return host.wait(deadlineNs);
}

export function yieldToJobs() { return host.yieldToJobs(); }

/** The boot image, copied in once; the same Uint8Array on every call. */
let bootImageBytes = null;
export function bootImage() {
  if (bootImageBytes === null) {
    const buffer = host.bootImage();
    bootImageBytes = buffer === undefined ? undefined : new Uint8Array(buffer);
  }
  return bootImageBytes;
}

export function loadApp(appName) {
  if (typeof appName !== "string") throw new TypeError("Cannot call loadApp: name must be a string");
  return host.loadApp(appName);
}

export function evaluateApp(appName, code) {
  if (typeof appName !== "string") throw new TypeError("Cannot call evaluateApp: name must be a string");
  bytesArgument(code, "evaluateApp");
  return host.evaluateApp(appName, new TextDecoder().decode(code));
}

export function onUnhandledRejection(handler) {
  if (typeof handler !== "function") throw new TypeError("Cannot call onUnhandledRejection: handler must be a function");
  host.onUnhandledRejection(handler);
}

export function devices() { return deviceList.map((info) => ({ ...info })); }

export function checksum(bytes, start, end, seed) {
  bytesArgument(bytes, "checksum");
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > bytes.length || start > end) {
    throw new RangeError(\`Cannot call checksum: [\${start}, \${end}) is outside 0-\${bytes.length} or reversed\`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff) throw new RangeError(\`Cannot call checksum: seed \${seed} is not a 16-bit integer\`);
  let sum = seed;
  let at = start;
  for (; at + 1 < end; at += 2) sum += (bytes[at] << 8) | bytes[at + 1];
  if (at < end) sum += bytes[at] << 8;
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

// kernel-ts/hal/halfsiphash.ts's function, as its JS source, under the platform's name.
${halfSipHash24.toString()}
export const halfSipHash = halfSipHash24;

// The platform's ASCII codec: kernel-ts/hal/ascii.ts's own functions, as their JS source.
export ${asciiEncode.toString()}

export ${asciiDecode.toString()}

export function netInfo(device) { return JSON.parse(host.netInfo(deviceArgument(device, "net", "netInfo"))); }
export function netStats(device) { return JSON.parse(host.netStats(deviceArgument(device, "net", "netStats"))); }

export function netRead(device) {
  const packet = host.netRead(deviceArgument(device, "net", "netRead"));
  return typeof packet === "string" ? packet : new Uint8Array(packet);
}

export function netWrite(device, frames) {
  deviceArgument(device, "net", "netWrite");
  if (!Array.isArray(frames)) throw new TypeError("Cannot call netWrite: frames must be an array");
  for (const frame of frames) {
    bytesArgument(frame, "netWrite");
    if (frame.length < 12) throw new RangeError(\`Cannot call netWrite: a \${frame.length}-byte frame is shorter than its header\`);
  }
  let queued = 0;
  for (const frame of frames) {
    if (host.netWriteOne(device, frame.slice().buffer) === 0) break;
    queued++;
  }
  return queued;
}

export function blockInfo(device) { return JSON.parse(host.blockInfo(deviceArgument(device, "block", "blockInfo"))); }

export function blockRead(device, sector, buffer) {
  blockArguments(device, sector, buffer, "blockRead");
  const id = host.blockRead(device, sector, buffer.length);
  if (typeof id === "number") pendingReads.set(id, buffer);
  return id;
}

export function blockWrite(device, sector, buffer) {
  const info = blockArguments(device, sector, buffer, "blockWrite");
  if (info.readOnly) return "read-only";
  return host.blockWrite(device, sector, buffer.slice().buffer);
}

export function blockFlush(device) { return host.blockFlush(deviceArgument(device, "block", "blockFlush")); }

export function blockCompletions(device) {
  const completions = JSON.parse(host.blockCompletions(deviceArgument(device, "block", "blockCompletions")));
  for (const { id, status } of completions) {
    const buffer = pendingReads.get(id);
    if (buffer === undefined) continue;
    pendingReads.delete(id);
    const data = host.blockReadData(id);
    if (status === "ok") buffer.set(new Uint8Array(data));
  }
  return completions;
}

export function rngRead(device, bytes) { deviceArgument(device, "rng", "rngRead"); throw new RangeError("Cannot call rngRead: no rng device"); }
export function channelRead(device) {
  const bytes = host.channelRead(deviceArgument(device, "console", "channelRead"));
  return typeof bytes === "string" ? bytes : new Uint8Array(bytes);
}

export function channelWrite(device, bytes) {
  deviceArgument(device, "console", "channelWrite");
  bytesArgument(bytes, "channelWrite");
  return host.channelWrite(device, bytes.slice().buffer);
}

export function poweroff(code) {
  if (typeof code !== "number") throw new TypeError("Cannot call poweroff: code must be a number");
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new RangeError(\`Cannot call poweroff: code \${code} is not an integer in 0-255\`);
  host.poweroff(code);
  throw new Error("poweroff returned");
}
`;
