/**
 * fake: FakePlatform, a deterministic Platform for unit tests (and later netsim).
 *
 * - Clock: virtual. monotonicNs() stands still unless `autoAdvanceNs` is set (each read
 *   then moves it forward by that much, so CPU accounting can be tested). wallClockMs() =
 *   wallClockOriginMs + the virtual clock.
 * - wait(deadline): first lets each device do its part (block requests complete); when a
 *   device has news it returns their bits at once, the clock unmoved; otherwise it moves the
 *   clock to the deadline and returns 0. Nothing can happen while wait(Infinity) sleeps (the
 *   test drives the devices between waits), so with no news that throws a RangeError
 *   instead of hanging: a loop that asks for it has a bug.
 * - Devices (options.devices, index = position): fake_devices.ts; the test reaches each
 *   through net(i), block(i) and channel(i). checksum is internetChecksum (checksum.ts), halfSipHash halfSipHash24 (halfsiphash.ts).
 * - randomFill: a seeded PRNG (mulberry32); the same seed gives the same bytes.
 * - Console: bytes are captured; output() gives them back, text() decodes them.
 * - cmdline, bootTimeline and memoryStats are settable; apps are a map name → factory,
 *   called afresh by each loadApp (a factory that throws makes loadApp reject).
 * - bootImage: options.bootImage, as given. loadApp looks there first (image/image_app.ts):
 *   an app's /app/NAME.js is handed to options.evaluate (Node: an import of a data: URL),
 *   since kernel-ts cannot evaluate a module by itself; without evaluate, loadApp rejects.
 * - yieldToJobs: resolves in a macrotask given to the constructor (Node: setImmediate),
 *   which runs only after the engine's job queue is empty. kernel-ts cannot name Node's
 *   globals, so the test passes it in.
 * - onUnhandledRejection: the fake cannot see the engine's rejections; the test plays the
 *   engine with emitUnhandledRejection(reason).
 * - poweroff records the code, then throws PoweredOff carrying it.
 */

import { decodeUtf8 } from "../console/utf8.ts";
import { imageAppSource } from "../image/image_app.ts";
import { asciiDecode, asciiEncode } from "./ascii.ts";
import { internetChecksum } from "./checksum.ts";
import { halfSipHash24 } from "./halfsiphash.ts";
import { runWithDeadlineAfterTheFact } from "./deadline_after_the_fact.ts";
import { DefinedModules } from "./defined_modules.ts";
import { deviceInfos, deviceOf, makeFakeDevices, type AnyFakeDevice, type FakeBlock, type FakeChannel, type FakeDeviceOptions, type FakeNet } from "./fake_devices.ts";
import {
  NotFound, type Again, type DeadlinePassed, type BlockCompletion, type BlockInfo, type BootMark, type DeviceInfo, type MemoryStats,
  type ModuleNamespace, type NetInfo, type NetStats, type Platform, type ReadOnly, type ReadySet,
} from "./platform.ts";

export type { FakeBlockOptions, FakeChannelOptions, FakeDeviceOptions, FakeNetOptions, FakeRngOptions } from "./fake_devices.ts";
export { FakeBlock, FakeChannel, FakeNet, FakeRng } from "./fake_devices.ts";

/**
 * Makes one app's module namespace; called once for each loadApp. `importModule` stands in
 * for `import … from "skiff:NAME"`: it returns what the kernel defined with defineModule.
 */
export type AppFactory = (importModule: (name: string) => ModuleNamespace) => ModuleNamespace | Promise<ModuleNamespace>;

export interface FakePlatformOptions {
  /** Runs `callback` after the promise job queue has drained (Node: setImmediate). */
  readonly macrotask: (callback: () => void) => void;
  readonly cmdline?: string;
  readonly bootTimeline?: readonly BootMark[];
  readonly apps?: Readonly<Record<string, AppFactory>>;
  /** PRNG seed for randomFill; default 1. */
  readonly seed?: number;
  /** Initial virtual monotonic time; default 0. */
  readonly startNs?: number;
  /** wallClockMs() at virtual time 0; default 2025-01-01T00:00:00Z. */
  readonly wallClockOriginMs?: number;
  /** Each monotonicNs() read advances the virtual clock by this many ns; default 0. */
  readonly autoAdvanceNs?: number;
  readonly memoryStats?: MemoryStats;
  /** The devices, index = position in the list; default none. */
  readonly devices?: readonly FakeDeviceOptions[];
  /** What bootImage() returns; default undefined (booted without an app image). */
  readonly bootImage?: Uint8Array;
  /** Evaluates an app's bundle from the boot image as a fresh module (`url` names it in stacks). */
  readonly evaluate?: (source: string, url: string) => Promise<ModuleNamespace>;
}

/** What FakePlatform.poweroff throws: the machine is off, with `code`. */
export class PoweredOff extends Error {
  override readonly name = "PoweredOff";
  constructor(readonly code: number) {
    super(`Powered off with status ${code}`);
  }
}

const DEFAULT_WALL_CLOCK_ORIGIN_MS = Date.UTC(2025, 0, 1);
const DEFAULT_MEMORY: MemoryStats = { heapTotal: 64 << 20, heapUsed: 1 << 20, heapPeak: 1 << 20, jsLimit: 0 };

export class FakePlatform implements Platform {
  readonly name = "fake" as const;
  readonly #macrotask: (callback: () => void) => void;
  readonly #apps = new Map<string, AppFactory>();
  readonly #modules = new DefinedModules();
  readonly #output: Uint8Array[] = [];
  readonly #wallClockOriginMs: number;
  readonly #autoAdvanceNs: number;
  #nowNs: number;
  #random: number;
  #cmdline: string;
  #bootTimeline: BootMark[];
  #memory: MemoryStats;
  #rejectionHandler: ((reason: unknown) => void) | undefined;
  #exitCode: number | undefined;
  #waits = 0;
  readonly #devices: AnyFakeDevice[];
  readonly #bootImage: Uint8Array | undefined;
  readonly #evaluate: ((source: string, url: string) => Promise<ModuleNamespace>) | undefined;

  constructor(options: FakePlatformOptions) {
    if (typeof options.macrotask !== "function") throw new TypeError("Cannot make FakePlatform: options.macrotask is not a function");
    this.#macrotask = options.macrotask;
    this.#cmdline = options.cmdline ?? "";
    this.#bootTimeline = [...(options.bootTimeline ?? [])];
    for (const [name, factory] of Object.entries(options.apps ?? {})) this.#apps.set(name, factory);
    this.#random = (options.seed ?? 1) >>> 0;
    this.#nowNs = options.startNs ?? 0;
    this.#wallClockOriginMs = options.wallClockOriginMs ?? DEFAULT_WALL_CLOCK_ORIGIN_MS;
    this.#autoAdvanceNs = options.autoAdvanceNs ?? 0;
    this.#memory = options.memoryStats ?? DEFAULT_MEMORY;
    this.#devices = makeFakeDevices(options.devices ?? []);
    this.#bootImage = options.bootImage;
    this.#evaluate = options.evaluate;
  }

  // ── Platform ──────────────────────────────────────────────────────────────────────

  consoleWrite(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot write to console: bytes is not a Uint8Array");
    this.#output.push(bytes.slice());
  }

  cmdline(): string {
    return this.#cmdline;
  }

  bootTimeline(): BootMark[] {
    return this.#bootTimeline.map((mark) => ({ ...mark }));
  }

  memoryStats(): MemoryStats {
    return { ...this.#memory };
  }

  monotonicNs(): number {
    const now = this.#nowNs;
    this.#nowNs += this.#autoAdvanceNs;
    return now;
  }

  wallClockMs(): number {
    return this.#wallClockOriginMs + this.#nowNs / 1e6;
  }

  randomFill(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot fill with random bytes: bytes is not a Uint8Array");
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.#nextRandom() & 0xff;
  }

  wait(deadlineNs: number): ReadySet {
    if (typeof deadlineNs !== "number" || Number.isNaN(deadlineNs)) throw new TypeError("Cannot wait: deadlineNs is not a number");
    this.#waits++;
    let ready = 0;
    for (const device of this.#devices) {
      device.beforeWait();
      if (device.news) ready += 2 ** device.index;
      device.news = false;
    }
    if (ready !== 0) return ready;
    if (deadlineNs === Infinity) throw new RangeError("Cannot wait with no deadline: no fake device has news, and nothing else can wake the fake");
    if (deadlineNs > this.#nowNs) this.#nowNs = deadlineNs;
    return 0;
  }

  yieldToJobs(): Promise<void> {
    return new Promise<void>((resolve) => this.#macrotask(() => resolve()));
  }

  bootImage(): Uint8Array | undefined {
    return this.#bootImage;
  }

  async loadApp(name: string): Promise<ModuleNamespace | NotFound> {
    if (typeof name !== "string") throw new TypeError("Cannot load app: name is not a string");
    const source = imageAppSource(this.#bootImage, name);
    if (source !== undefined) {
      if (this.#evaluate === undefined) throw new TypeError(`Cannot load app ${name} from the boot image: the fake was given no evaluate option`);
      return await this.#evaluate(source, `image:/app/${name}.js`);
    }
    const factory = this.#apps.get(name);
    if (factory === undefined) return NotFound;
    return await factory((module) => this.#modules.namespace(module));
  }

  async evaluateApp(name: string, code: Uint8Array): Promise<ModuleNamespace> {
    if (typeof name !== "string") throw new TypeError("Cannot evaluate app: name is not a string");
    if (!(code instanceof Uint8Array)) throw new TypeError("Cannot evaluate app: code is not a Uint8Array");
    if (this.#evaluate === undefined) throw new TypeError(`Cannot evaluate app ${name}: the fake was given no evaluate option`);
    return await this.#evaluate(new TextDecoder().decode(code), `reload:/app/${name}.js`);
  }

  defineModule(name: string, exports: Readonly<Record<string, unknown>>): void {
    this.#modules.define(name, exports);
  }

  /** Judged on the virtual clock when fn is done (a test moves the clock inside fn to overrun). */
  runWithDeadline(deadlineNs: number, fn: () => void): DeadlinePassed | undefined {
    return runWithDeadlineAfterTheFact(() => this.#nowNs, deadlineNs, fn);
  }

  onUnhandledRejection(handler: (reason: unknown) => void): void {
    if (typeof handler !== "function") throw new TypeError("Cannot register rejection handler: handler is not a function");
    this.#rejectionHandler = handler;
  }

  poweroff(code: number): never {
    if (!Number.isInteger(code) || code < 0 || code > 255) throw new RangeError(`Cannot power off with status ${code}: not an integer in 0–255`);
    this.#exitCode = code;
    throw new PoweredOff(code);
  }

  devices(): DeviceInfo[] {
    return deviceInfos(this.#devices);
  }

  checksum(bytes: Uint8Array, start: number, end: number, seed: number): number {
    return internetChecksum(bytes, start, end, seed);
  }

  halfSipHash(key: Uint8Array, message: Uint8Array): number {
    return halfSipHash24(key, message);
  }

  asciiEncode(text: string): Uint8Array | undefined {
    return asciiEncode(text);
  }

  asciiDecode(bytes: Uint8Array, start: number, end: number): string | undefined {
    return asciiDecode(bytes, start, end);
  }

  netInfo(device: number): NetInfo {
    const net = deviceOf(this.#devices, device, "net", "netInfo");
    return { ...net.info, offloads: { ...net.info.offloads } };
  }

  netStats(device: number): NetStats {
    return deviceOf(this.#devices, device, "net", "netStats").stats();
  }

  netRead(device: number): Uint8Array | Again {
    return deviceOf(this.#devices, device, "net", "netRead").read();
  }

  netWrite(device: number, frames: readonly Uint8Array[]): number {
    return deviceOf(this.#devices, device, "net", "netWrite").write(frames);
  }

  blockInfo(device: number): BlockInfo {
    return { ...deviceOf(this.#devices, device, "block", "blockInfo").info };
  }

  blockRead(device: number, sector: number, buffer: Uint8Array): number | Again {
    const disk = deviceOf(this.#devices, device, "block", "blockRead");
    if (!(buffer instanceof Uint8Array)) throw new TypeError("Cannot call blockRead: buffer is not a Uint8Array");
    return disk.submit("read", sector, buffer) as number | Again;
  }

  blockWrite(device: number, sector: number, buffer: Uint8Array): number | Again | ReadOnly {
    const disk = deviceOf(this.#devices, device, "block", "blockWrite");
    if (!(buffer instanceof Uint8Array)) throw new TypeError("Cannot call blockWrite: buffer is not a Uint8Array");
    return disk.submit("write", sector, buffer);
  }

  blockFlush(device: number): number | Again {
    return deviceOf(this.#devices, device, "block", "blockFlush").submit("flush", 0, undefined) as number | Again;
  }

  blockCompletions(device: number): BlockCompletion[] {
    return deviceOf(this.#devices, device, "block", "blockCompletions").completions();
  }

  rngRead(device: number, bytes: Uint8Array): number | Again {
    return deviceOf(this.#devices, device, "rng", "rngRead").read(bytes);
  }

  channelRead(device: number): Uint8Array | Again {
    return deviceOf(this.#devices, device, "console", "channelRead").read();
  }

  channelWrite(device: number, bytes: Uint8Array): number | Again {
    return deviceOf(this.#devices, device, "console", "channelWrite").write(bytes);
  }

  // ── test controls ─────────────────────────────────────────────────────────────────

  /** Every byte written to the console, in order. */
  output(): Uint8Array {
    const total = this.#output.reduce((sum, chunk) => sum + chunk.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const chunk of this.#output) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  }

  /** The console output decoded as UTF-8. */
  text(): string {
    return decodeUtf8(this.output());
  }

  /** The code poweroff was called with, or undefined while the machine runs. */
  get exitCode(): number | undefined {
    return this.#exitCode;
  }

  /** The fake network device at `index` (the test's end of its wire). */
  net(index: number): FakeNet {
    return deviceOf(this.#devices, index, "net", "net");
  }

  /** The fake disk at `index`. */
  block(index: number): FakeBlock {
    return deviceOf(this.#devices, index, "block", "block");
  }

  /** The fake console channel at `index`. */
  channel(index: number): FakeChannel {
    return deviceOf(this.#devices, index, "console", "channel");
  }

  /** How many times wait() was called. */
  get waitCount(): number {
    return this.#waits;
  }

  setCmdline(line: string): void {
    this.#cmdline = line;
  }

  setBootTimeline(marks: readonly BootMark[]): void {
    this.#bootTimeline = [...marks];
  }

  setApp(name: string, factory: AppFactory): void {
    this.#apps.set(name, factory);
  }

  setMemoryStats(stats: MemoryStats): void {
    this.#memory = stats;
  }

  /** Moves the virtual clock forward by `ns` (as if code ran that long). */
  advance(ns: number): void {
    if (!(ns >= 0)) throw new RangeError(`Cannot advance the clock by ${ns} ns`);
    this.#nowNs += ns;
  }

  /** Plays the engine's rejection tracker: hands `reason` to the registered handler. */
  emitUnhandledRejection(reason: unknown): boolean {
    if (this.#rejectionHandler === undefined) return false;
    this.#rejectionHandler(reason);
    return true;
  }

  /** mulberry32: small, seeded, good enough for tests; not for secrets. */
  #nextRandom(): number {
    this.#random = (this.#random + 0x6d2b79f5) >>> 0;
    let t = this.#random;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}
