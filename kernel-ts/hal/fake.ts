/**
 * fake: FakePlatform, a deterministic Platform for unit tests (and later netsim).
 *
 * - Clock: virtual. monotonicNs() stands still unless `autoAdvanceNs` is set (each read
 *   then moves it forward by that much, so CPU accounting can be tested); wait(deadline)
 *   moves it to the deadline at once and returns ReadySet 0. The fake has no devices, so
 *   wait(Infinity) could never return on a real machine: it throws a RangeError instead of
 *   hanging (a loop that asks for it has a bug). wallClockMs() = wallClockOriginMs + the
 *   virtual clock.
 * - randomFill: a seeded PRNG (mulberry32); the same seed gives the same bytes.
 * - Console: bytes are captured; output() gives them back, text() decodes them.
 * - cmdline, bootTimeline and memoryStats are settable; apps are a map name → factory,
 *   called afresh by each loadApp (a factory that throws makes loadApp reject).
 * - yieldToJobs: resolves in a macrotask given to the constructor (Node: setImmediate),
 *   which runs only after the engine's job queue is empty. kernel-ts cannot name Node's
 *   globals, so the test passes it in.
 * - onUnhandledRejection: the fake cannot see the engine's rejections; the test plays the
 *   engine with emitUnhandledRejection(reason).
 * - poweroff records the code, then throws PoweredOff carrying it.
 */

import { decodeUtf8 } from "../console/utf8.ts";
import { NotFound, type BootMark, type MemoryStats, type ModuleNamespace, type Platform, type ReadySet } from "./platform.ts";

/** Makes one app's module namespace; called once for each loadApp. */
export type AppFactory = () => ModuleNamespace | Promise<ModuleNamespace>;

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
    if (deadlineNs === Infinity) throw new RangeError("Cannot wait with no deadline: the fake platform has no devices to wake it");
    this.#waits++;
    if (deadlineNs > this.#nowNs) this.#nowNs = deadlineNs;
    return 0;
  }

  yieldToJobs(): Promise<void> {
    return new Promise<void>((resolve) => this.#macrotask(() => resolve()));
  }

  async loadApp(name: string): Promise<ModuleNamespace | NotFound> {
    if (typeof name !== "string") throw new TypeError("Cannot load app: name is not a string");
    const factory = this.#apps.get(name);
    if (factory === undefined) return NotFound;
    return await factory();
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
