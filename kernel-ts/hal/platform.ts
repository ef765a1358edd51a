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

import type {
  Again, BlockCompletion, BlockInfo, DeviceInfo, NetInfo, NetStats, ReadOnly,
} from "./devices.ts";

export * from "./devices.ts";

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

/** What runWithDeadline returns when the deadline stopped (or, on platforms that cannot stop JS, outlasted) fn; compare with `===`. */
export const DeadlinePassed = "deadline-passed" as const;
export type DeadlinePassed = typeof DeadlinePassed;

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

  /**
   * MUST fill every byte with unpredictable values: in the VM, bytes from virtio-rng when
   * the pool it keeps filled has enough, else RDSEED/RDRAND.
   */
  randomFill(bytes: Uint8Array): void;

  /**
   * Sleeps until a device has work or `monotonicNs() >= deadlineNs`, whichever is first.
   * MUST return at once when the deadline has passed. MUST NOT return 0 before the
   * deadline: an early return names the devices that woke it (a stray interrupt is
   * absorbed inside). A device's bit means "something happened since the last wait that
   * named it" (a frame arrived, transmit room freed, a request completed): an edge, not a
   * level, so a kernel that leaves frames unread is not woken again for them. `Infinity`
   * means no deadline; with no device able to wake it, that sleeps forever (native) — the
   * fake, whose devices the test drives between waits, throws a RangeError instead when
   * none has news. The fake advances its virtual clock to the deadline instead of sleeping;
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
   * Runs the engine's promise jobs now, until none is left — every job queued before the
   * call and every job those queue, unhandled rejections reported and pending yieldToJobs()
   * promises resolved as between two turns — and returns. Native only (the engine's own
   * loop: shim/js/engine.c); undefined where the host owns the job queue (Node, and the
   * hosted-quickjs runner). The event loop calls it instead of awaiting yieldToJobs when it
   * can: a turn then suspends and resumes no async frame.
   */
  readonly drainJobs?: () => void;

  /**
   * The app image the machine booted with (kernel-ts/image/format.ts), or undefined when it
   * booted without one. Native: PVH module 0 — cloud-hypervisor's `--initramfs`, qemu's
   * `-initrd` — viewed in place, no copy: the shim keeps the heap and everything else off
   * that memory for the whole boot. Hosted: the file named by the runner's `bootImage`
   * option (`skiff run --hosted` passes build/apps/NAME.img); fake: its `bootImage` option.
   * MUST return the same bytes on every call (MAY be the same view), whatever they hold:
   * the platform does not vouch for them. The caller MUST NOT write into them.
   */
  bootImage(): Uint8Array | undefined;

  /**
   * Evaluates the app `name` and resolves to its namespace, or to NotFound when no app has
   * that name. Each call evaluates afresh. Rejects with the module's own error when
   * evaluating it throws.
   * MUST look in the boot image first: its /app/NAME.bc (native, bytecode) or /app/NAME.js
   * (fake and hosted, whose engines are other builds) entry; then the apps built into the
   * platform (native: linked into the ELF; hosted: build/js/apps). MUST reject, with an
   * error that says why, when there is a boot image that is not a valid app image —
   * truncated, corrupt, another format version — or (native) whose bytecode was compiled
   * for another QuickJS or bytecode version than this engine's (the message names both).
   * Native: each call evaluates the app in a context of its own (QuickJS patch 0005,
   * shim/js/app_context.c) that shares the kernel's intrinsics (Object, Uint8Array, Promise…
   * are the same objects) and has its own global object: the standard globals plus the own
   * enumerable properties of `globals`, and nothing the kernel put on its own globalThis.
   * There, `skiff:hal` MUST NOT be importable, and Function() and indirect eval compile in
   * the app's context. `globals` MUST be an object or undefined (TypeError).
   * fake, hosted-node and hosted-quickjs run apps in the kernel's own context (they cannot
   * make one that shares intrinsics) and ignore `globals`: there an app sees the kernel's
   * globalThis, which installGlobals gave the same app API.
   */
  loadApp(name: string, globals?: Readonly<Record<string, unknown>>): Promise<ModuleNamespace | NotFound>;

  /**
   * Evaluates `code` as a new version of app `name` (hot reload: the development channel
   * brings it) and resolves to its namespace, as loadApp does — the same kind of context,
   * `globals` alike. `code` is what the boot image would hold for the platform: native, the
   * QuickJS bytecode of an ES module (its first byte MUST be this engine's bytecode version,
   * else the promise rejects with a RangeError naming both); fake and hosted, the bundle's
   * UTF-8 source. Rejects with the module's own error when reading or evaluating it throws.
   * The caller MAY reuse `code`'s memory once the promise settles.
   */
  evaluateApp(name: string, code: Uint8Array, globals?: Readonly<Record<string, unknown>>): Promise<ModuleNamespace>;

  /**
   * Makes `import { … } from name` resolve, in apps loaded afterwards, to a module whose
   * exports are the own enumerable string-keyed properties of `exports` (read when an app
   * first imports it). This is how the kernel offers `skiff:net` and its kin to apps.
   * `name` MUST be "skiff:" + a name other than "hal" (else RangeError); a later call for
   * the same name replaces it for apps loaded afterwards.
   */
  defineModule(name: string, exports: Readonly<Record<string, unknown>>): void;

  /**
   * Registers the function called with each promise rejected with no handler
   * (QuickJS's rejection tracker, Node's 'unhandledRejection'). At most one handler;
   * a later call replaces it.
   */
  onUnhandledRejection(handler: (reason: unknown) => void): void;

  /**
   * The watchdog: calls `fn()` (no arguments, `this` undefined) with a deadline on the
   * `monotonicNs` clock, and returns undefined once it returned — or DeadlinePassed when
   * its synchronous run (fn and everything it calls, until fn returns) was still going at
   * the deadline. What fn returns is dropped (callers keep what they need in a closure).
   * An exception from fn propagates unchanged when the deadline did not pass.
   * Native: MUST stop fn soon after the deadline — QuickJS's interrupt handler compares the
   * TSC clock with it every ~10000 bytecode branches or calls; native code that runs no
   * bytecode is not interrupted, the overrun is seen at its next poll. No catch or finally
   * of the stopped code runs; an async function stopped in its first slice rejects its
   * promise (with InternalError "interrupted", an ordinary error once it is a rejection);
   * until fn returns, every later poll interrupts again. MAY run any engine code after the
   * deadline that needs no bytecode. Nested calls: the earlier deadline applies.
   * fake and hosted-node, which cannot stop JS, MUST return DeadlinePassed when fn returned
   * or threw after the deadline (its exception dropped) — the fake's clock is virtual, so a
   * test moves it inside fn — and MAY let fn run as long as it likes. hosted-quickjs is the
   * same engine without the shim's patch 0004 and behaves as hosted-node.
   * `deadlineNs` MUST be a number (TypeError), not NaN (RangeError); Infinity is no deadline.
   */
  runWithDeadline(deadlineNs: number, fn: () => void): DeadlinePassed | undefined;

  /**
   * The sampling profiler (native only: shim/js/hal_profile.c; undefined elsewhere).
   * profileStart charges the time since the last sample to the running JS stack every
   * `periodUs` (10–1000000, default 100) of JS time, sleep in `wait` excluded; RangeError
   * when already running. profileStop ends it and returns the samples as folded stacks
   * ("outer (file:line);inner (file:line) MICROSECONDS" per line, after one "# skiff
   * profile: …" summary line); RangeError when not running.
   */
  readonly profileStart?: (periodUs?: number) => void;
  readonly profileStop?: () => string;

  /**
   * Stops the machine with `code` (0–255; the VMM's exit status where it can carry one).
   * MUST NOT return. Hosted implementations that cannot stop their host process
   * throw instead, and run no further JS of this kernel afterwards.
   */
  poweroff(code: number): never;

  // ---- devices (types in devices.ts) ------------------------------------------------

  /** Every device the platform found, by index. The same list for the whole boot. */
  devices(): DeviceInfo[];

  /**
   * One's-complement sum (RFC 1071) of bytes[start, end) as big-endian 16-bit words, an
   * odd last byte padded with zero, added to `seed` (a 16-bit partial sum, e.g. of a
   * pseudo-header) and folded to 16 bits. Not inverted: the caller takes `~sum & 0xffff`.
   * RangeError when start/end fall outside the array or start > end.
   */
  checksum(bytes: Uint8Array, start: number, end: number, seed: number): number;

  /**
   * HalfSipHash-2-4's 32-bit tag of `message` under the 8-byte `key`: the reference
   * implementation's four output bytes read as a little-endian number (halfsiphash.ts is
   * the function in TypeScript). TypeError when either is not a Uint8Array, RangeError when
   * the key is not 8 bytes. TCP's initial sequence numbers (RFC 6528) hash with it.
   */
  halfSipHash(key: Uint8Array, message: Uint8Array): number;

  /**
   * The text codecs' fast path: a new Uint8Array holding `text`'s code units when every one
   * is below 0x80 (ASCII, where UTF-8 and Latin-1 agree), else undefined. TypeError when
   * `text` is not a string. Native: one scan in C instead of a JS loop per character.
   */
  asciiEncode(text: string): Uint8Array | undefined;
  /**
   * The other way: bytes[start, end) as a string of the same code units when every byte is
   * below 0x80, else undefined. RangeError when start/end fall outside the array or
   * start > end; TypeError when bytes is not a Uint8Array.
   */
  asciiDecode(bytes: Uint8Array, start: number, end: number): string | undefined;

  netInfo(device: number): NetInfo;
  netStats(device: number): NetStats;
  /**
   * The next received frame — NET_HEADER_BYTES of virtio-net header, then the Ethernet
   * frame — or Again. Native: a view of the receive buffer itself, no copy; the buffer
   * goes back to the device when the view is no longer referenced, so a kernel that keeps
   * many frames starves the ring (counted in rxBufferStarved).
   */
  netRead(device: number): Uint8Array | Again;
  /**
   * Queues frames (each starting with its header) for transmission, in order, and
   * notifies the device once for the batch. Returns how many of `frames` were queued — a
   * prefix; the rest did not fit (the ring is full: wait, then retry them). Native: the
   * device reads each frame straight from its buffer; the platform holds the buffer until
   * the device is done, and the caller MUST NOT change a frame's bytes after queuing it.
   * RangeError for a frame shorter than NET_HEADER_BYTES (nothing is queued then).
   */
  netWrite(device: number, frames: readonly Uint8Array[]): number;

  blockInfo(device: number): BlockInfo;
  /**
   * Submits a read of buffer.length bytes (a multiple of 512) from `sector` into `buffer`
   * and returns the request's id, or Again when the queue is full. Completion arrives
   * through blockCompletions after a `wait` names the device. The buffer belongs to the
   * device until then. RangeError beyond the capacity or for a bad length.
   */
  blockRead(device: number, sector: number, buffer: Uint8Array): number | Again;
  /** As blockRead, writing `buffer`; ReadOnly on a read-only device (nothing submitted). */
  blockWrite(device: number, sector: number, buffer: Uint8Array): number | Again | ReadOnly;
  /** Submits a flush: its completion means every write completed before it is on stable storage. */
  blockFlush(device: number): number | Again;
  /** Requests completed since the last call, in completion order; [] when none. */
  blockCompletions(device: number): BlockCompletion[];

  /**
   * Copies raw bytes from an entropy device (virtio-rng) into `bytes` and returns how many
   * (0 < n ≤ length), or Again when the device has none ready. randomFill uses the same
   * source when it can; this call exists to see the device itself.
   */
  rngRead(device: number, bytes: Uint8Array): number | Again;

  /** Bytes received on a byte-channel device (virtio-console), or Again; at least one byte. */
  channelRead(device: number): Uint8Array | Again;
  /** Copies as many of `bytes` as fit into the channel and returns that count (0 ≤ n ≤ length), or Again when none fit. */
  channelWrite(device: number, bytes: Uint8Array): number | Again;
}
