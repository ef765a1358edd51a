/**
 * The HAL: the one boundary between the TypeScript kernel and whatever runs it.
 *
 * Three implementations exist and pass one conformance suite
 * (tests/unit/hal_conformance.test.ts):
 *   - native: the module `skiff:hal`, written in C in shim/hal_*.c, inside the VM;
 *   - fake:   kernel-ts/hal/fake.ts, a virtual clock for deterministic tests;
 *   - hosted: host/hosted/, on Node and inside quickjs-emscripten.
 *
 * Rules every implementation follows (Solo5 is the model):
 *   - No call blocks except `wait`, which is the only way to sleep.
 *   - Expected outcomes are values (`NotFound`); exceptions are for misuse only
 *     (TypeError for a wrong argument type, RangeError for a value out of range).
 *   - Times are nanoseconds on one monotonic clock as JS numbers (exact to 2^53 ns,
 *     about 104 days of uptime; past that they lose sub-nanosecond precision only).
 */

/** A stage of the boot, stamped on the monotonic clock. */
export interface BootMark {
  /** Short name of the stage: "pvh-entry", "c-main", "quickjs-ready", … */
  readonly label: string;
  /** `monotonicNs()` when the stage was reached. */
  readonly ns: number;
}

/** Memory as the platform sees it. All figures in bytes. */
export interface MemoryStats {
  /** Bytes the platform's heap manages in all (native: RAM from the memory map). */
  readonly heapTotal: number;
  /** Bytes currently handed out by the heap allocator. */
  readonly heapUsed: number;
  /** Largest `heapUsed` seen since boot. */
  readonly heapPeak: number;
  /** The JS engine's memory limit; 0 when there is none. */
  readonly jsLimit: number;
}

/** Which devices have work after `wait` returns: bit i set means device i. 0 = deadline or spurious wake. */
export type ReadySet = number;

/** Returned by lookups that find nothing; compare with `===`. */
export const NotFound = "not-found" as const;
export type NotFound = typeof NotFound;

/** A module namespace: the exports of an evaluated app module. */
export type ModuleNamespace = Readonly<Record<string, unknown>>;

/** Exit statuses the kernel and shim use besides an app's own (0–99). */
export const ExitCode = {
  Success: 0,
  /** The app threw, or its main() rejected. */
  AppFailed: 1,
  /** The kernel failed an assertion or threw: a panic. */
  KernelPanic: 100,
  /** A CPU exception reached the shim's trap handler (set in C, listed here for the host). */
  CpuException: 101,
  /** The shim could not start the engine or the kernel (set in C). */
  ShimFailed: 102,
} as const;

export interface Platform {
  /** Which implementation this is, for logs and tests. */
  readonly name: "native" | "fake" | "hosted-node" | "hosted-quickjs";

  /** MUST write every byte, in order, before returning (native: 16550 serial). */
  consoleWrite(bytes: Uint8Array): void;

  /** The kernel command line, as the hypervisor passed it; "" when none. */
  cmdline(): string;

  /**
   * Stages the platform passed before the kernel ran, oldest first, on the
   * `monotonicNs` clock. Native gives "pvh-entry", "c-main", "quickjs-ready".
   * MAY be empty (fake).
   */
  bootTimeline(): BootMark[];

  /** A fresh snapshot each call. */
  memoryStats(): MemoryStats;

  /**
   * Nanoseconds since an origin fixed at boot (native: the PVH entry).
   * MUST never go backwards; MAY stand still between two calls.
   */
  monotonicNs(): number;

  /** Milliseconds since the Unix epoch, UTC; MAY jump (native: CMOS RTC at boot + monotonic). */
  wallClockMs(): number;

  /** MUST fill every byte with unpredictable values (RDSEED/RDRAND in the VM). */
  randomFill(bytes: Uint8Array): void;

  /**
   * Sleeps until a device has work or `monotonicNs() >= deadlineNs`, whichever is first.
   * MUST return at once when the deadline has passed. MUST NOT return 0 before the
   * deadline: an early return names the devices that woke it (a stray interrupt is
   * absorbed inside). `Infinity` means no deadline; with no device able to wake it, that
   * sleeps forever (native) — the fake, which has no devices, throws a RangeError
   * instead. The fake advances its virtual clock to the deadline instead of sleeping;
   * hosted implementations MAY cap one sleep and return 0 at the cap.
   */
  wait(deadlineNs: number): ReadySet;

  /**
   * Resolves once the engine's promise job queue has run empty: every job queued before
   * the call, and every job those jobs queue, has run. The event loop awaits this to
   * let tasks make progress between two `wait`s.
   */
  yieldToJobs(): Promise<void>;

  /**
   * Evaluates the app module bundled under `name` at build time and resolves to its
   * namespace, or to NotFound when no app has that name. Each call evaluates afresh.
   * Rejects with the module's own error when evaluating it throws.
   */
  loadApp(name: string): Promise<ModuleNamespace | NotFound>;

  /**
   * Registers the function called with each promise rejected with no handler
   * (QuickJS's rejection tracker, Node's 'unhandledRejection'). At most one handler;
   * a later call replaces it.
   */
  onUnhandledRejection(handler: (reason: unknown) => void): void;

  /**
   * Stops the machine with `code` (0–255; the VMM's exit status where it can carry one).
   * MUST NOT return. Hosted implementations that cannot stop their host process
   * throw instead, and run no further JS of this kernel afterwards.
   */
  poweroff(code: number): never;
}
