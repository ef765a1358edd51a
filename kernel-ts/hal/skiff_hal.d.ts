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
  export function loadApp(name: string): Promise<ModuleNamespace | NotFound>;
  export function onUnhandledRejection(handler: (reason: unknown) => void): void;
  export function poweroff(code: number): never;
}
