/**
 * The native module `skiff:hal`: the Platform contract (platform.ts) as a module's exports,
 * one export a Platform member. The shim registers it from C (shim/hal_*.c, one
 * JS_CFUNC_DEF table); the hosted-quickjs runner provides the same names. `name` is
 * "native" in the VM and "hosted-quickjs" under the hosted runner.
 */

declare module "skiff:hal" {
  type BootMark = import("./platform.ts").BootMark;
  type MemoryStats = import("./platform.ts").MemoryStats;
  type ReadySet = import("./platform.ts").ReadySet;
  type ModuleNamespace = import("./platform.ts").ModuleNamespace;
  type NotFound = import("./platform.ts").NotFound;
  type DeadlinePassed = import("./platform.ts").DeadlinePassed;
  type Again = import("./devices.ts").Again;
  type ReadOnly = import("./devices.ts").ReadOnly;
  type DeviceInfo = import("./devices.ts").DeviceInfo;
  type NetInfo = import("./devices.ts").NetInfo;
  type NetStats = import("./devices.ts").NetStats;
  type BlockInfo = import("./devices.ts").BlockInfo;
  type BlockCompletion = import("./devices.ts").BlockCompletion;

  export const name: "native" | "hosted-quickjs";
  export function consoleWrite(bytes: Uint8Array): void;
  export function cmdline(): string;
  export function bootTimeline(): BootMark[];
  export function memoryStats(): MemoryStats;
  export function monotonicNs(): number;
  export function wallClockMs(): number;
  export function randomFill(bytes: Uint8Array): void;
  export function wait(deadlineNs: number): ReadySet;
  export function yieldToJobs(): Promise<void>;
  /** Native only (the hosted-quickjs runner's host owns the job queue). */
  export const drainJobs: (() => void) | undefined;
  export function bootImage(): Uint8Array | undefined;
  export function loadApp(name: string, globals?: Readonly<Record<string, unknown>>): Promise<ModuleNamespace | NotFound>;
  export function evaluateApp(name: string, code: Uint8Array, globals?: Readonly<Record<string, unknown>>): Promise<ModuleNamespace>;
  export function onUnhandledRejection(handler: (reason: unknown) => void): void;
  export function poweroff(code: number): never;
  export function defineModule(name: string, exports: Readonly<Record<string, unknown>>): void;
  export function runWithDeadline(deadlineNs: number, fn: () => void): DeadlinePassed | undefined;
  /** Native only (the hosted-quickjs runner has no profiler). */
  export const profileStart: ((periodUs?: number) => void) | undefined;
  export const profileStop: (() => string) | undefined;

  export function devices(): DeviceInfo[];
  export function checksum(bytes: Uint8Array, start: number, end: number, seed: number): number;
  export function halfSipHash(key: Uint8Array, message: Uint8Array): number;
  export function asciiEncode(text: string): Uint8Array | undefined;
  export function asciiDecode(bytes: Uint8Array, start: number, end: number): string | undefined;
  export function netInfo(device: number): NetInfo;
  export function netStats(device: number): NetStats;
  export function netRead(device: number): Uint8Array | Again;
  export function netWrite(device: number, frames: readonly Uint8Array[]): number;
  export function blockInfo(device: number): BlockInfo;
  export function blockRead(device: number, sector: number, buffer: Uint8Array): number | Again;
  export function blockWrite(device: number, sector: number, buffer: Uint8Array): number | Again | ReadOnly;
  export function blockFlush(device: number): number | Again;
  export function blockCompletions(device: number): BlockCompletion[];
  export function rngRead(device: number, bytes: Uint8Array): number | Again;
  export function channelRead(device: number): Uint8Array | Again;
  export function channelWrite(device: number, bytes: Uint8Array): number | Again;
}
