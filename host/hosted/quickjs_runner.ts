/**
 * Runs the kernel bundle (build/js/kernel.js) inside quickjs-emscripten — the same engine as
 * the VM, compiled to WebAssembly — with `skiff:hal` provided by the module loader
 * (quickjs_platform.ts). The console goes out byte for byte as the VM would print it.
 *
 * The driver loop stands in for the VM's "the engine runs until poweroff":
 *   1. run pending promise jobs until the queue is empty;
 *   2. if the kernel awaits yieldToJobs(), resolve those promises and go to 1;
 *   3. otherwise nothing can happen any more: stop.
 * `wait` sleeps synchronously inside the kernel's own calls, so timers need nothing from here.
 * The run ends when the kernel calls poweroff (its code is the result), when the loop runs
 * dry without a poweroff (a broken kernel: ShimFailed), or at the deadline (the interrupt
 * handler stops the engine).
 */
import fs from "node:fs";
import { newQuickJSWASMModule } from "quickjs-emscripten";
import { halModuleSource } from "./hal_module_source.ts";
import type { HostedDiskOptions } from "./hosted_disk.ts";
import type { HostedNetOptions } from "./hosted_net.ts";
import type { HostedChannelOptions } from "./hosted_channel.ts";
import { HostedHal, type BootMark } from "./quickjs_platform.ts";

export interface HostedRunOptions {
  readonly kernelBundle: string;
  readonly appBundlesDir: string;
  readonly cmdline: string;
  /** Console bytes; default: stdout. */
  readonly write?: (bytes: Uint8Array) => void;
  /** Default 64 MiB: past it, allocation throws a JS out-of-memory error. */
  readonly memoryLimitBytes?: number;
  /** Stop the kernel after this long; default: never. */
  readonly timeoutMs?: number;
  /** A network device: Ethernet frames in UDP datagrams (`--net dgram:…`, device_flags.ts). */
  readonly net?: HostedNetOptions;
  /** A disk backed by a file (`--disk FILE[,ro]`, device_flags.ts). */
  readonly disk?: HostedDiskOptions;
  /** An app image file (build/apps/APP.img): what the kernel's bootImage() returns. */
  readonly bootImage?: string;
  /** A byte channel to another thread (`skiff dev --hosted`, running this in a worker). */
  readonly channel?: HostedChannelOptions;
}

export type HostedOutcome =
  | { readonly kind: "poweroff"; readonly code: number }
  | { readonly kind: "timeout" }
  | { readonly kind: "no-poweroff"; readonly detail: string };

export interface HostedResult {
  readonly outcome: HostedOutcome;
  /** The exit status `skiff run --hosted` ends with. */
  readonly status: number;
}

const ShimFailed = 102;
const TimedOut = 124;
const DEFAULT_MEMORY_LIMIT = 64 * 1024 * 1024;
const STACK_LIMIT = 1024 * 1024;

function writeStdout(bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(1, bytes, offset);
}

export async function runHosted(options: HostedRunOptions): Promise<HostedResult> {
  const originNs = process.hrtime.bigint();
  const marks: BootMark[] = [{ label: "host-start", ns: 0 }];
  const write = options.write ?? writeStdout;
  const report = (text: string): void => write(new TextEncoder().encode(`skiff: hosted: ${text}\n`));
  const kernelSource = fs.readFileSync(options.kernelBundle, "utf8");

  // A module of its own per run: a kernel that powers off mid-flight leaves objects behind,
  // which makes QuickJS's JS_FreeRuntime assertion abort the whole WebAssembly module.
  const quickjs = await newQuickJSWASMModule();
  const runtime = quickjs.newRuntime();
  const memoryLimitBytes = options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT;
  runtime.setMemoryLimit(memoryLimitBytes);
  runtime.setMaxStackSize(STACK_LIMIT);
  const context = runtime.newContext();

  const deadline = options.timeoutMs === undefined ? Infinity : performance.now() + options.timeoutMs;
  let timedOut = false;
  let hal: HostedHal | undefined;
  runtime.setInterruptHandler(() => {
    if (performance.now() >= deadline) timedOut = true;
    return timedOut || hal?.poweredOff !== undefined;
  });
  runtime.setModuleLoader(
    (name) => {
      if (name === "skiff:hal") return halModuleSource;
      return hal?.definedModuleSource(name) ?? { error: new ReferenceError(`Cannot find module '${name}': the kernel provides skiff:hal and what it defined with defineModule`) };
    },
    (_base, requested) => requested,
  );
  marks.push({ label: "quickjs-ready", ns: Number(process.hrtime.bigint() - originNs) });

  hal = new HostedHal(context, runtime, {
    cmdline: options.cmdline,
    appBundlesDir: options.appBundlesDir,
    write,
    originNs,
    bootTimeline: marks,
    memoryLimitBytes,
    ...(options.net && { net: options.net }),
    ...(options.disk && { disk: options.disk }),
    ...(options.channel && { channel: options.channel }),
    ...(options.bootImage !== undefined && { bootImage: new Uint8Array(fs.readFileSync(options.bootImage)) }),
  });
  hal.install();

  let outcome: HostedOutcome | undefined;
  try {
    const evaluated = context.evalCode(kernelSource, "kernel.js", { type: "module" });
    if (evaluated.error !== undefined) {
      const error = context.dump(evaluated.error) as { message?: string; stack?: string } | string;
      evaluated.error.dispose();
      if (hal.poweredOff === undefined && !timedOut) {
        outcome = { kind: "no-poweroff", detail: `the kernel module threw: ${typeof error === "string" ? error : `${error.message ?? ""}\n${error.stack ?? ""}`}` };
      }
    } else {
      evaluated.value.dispose();
    }

    while (outcome === undefined && hal.poweredOff === undefined && !timedOut) {
      if (runtime.hasPendingJob()) {
        const ran = runtime.executePendingJobs();
        // A job's exception lands in the kernel's own promise chains; only the engine's
        // interrupt (poweroff, deadline) surfaces here, and the loop condition handles it.
        ran.error?.dispose();
      } else if (hal.pendingYields > 0) {
        hal.resolveYields();
      } else {
        outcome = { kind: "no-poweroff", detail: "the kernel's job queue ran empty and it never called poweroff" };
      }
      if (performance.now() >= deadline) timedOut = true;
    }
  } finally {
    // The runtime is not freed: a kernel stopped mid-flight still holds objects, and
    // JS_FreeRuntime asserts there are none (it aborts the module). The module is this
    // run's alone and is dropped whole, with its memory.
    hal.dispose();
  }

  if (hal.poweredOff !== undefined) return { outcome: { kind: "poweroff", code: hal.poweredOff }, status: hal.poweredOff };
  if (timedOut) {
    report(`timed out after ${options.timeoutMs} ms: kernel stopped`);
    return { outcome: { kind: "timeout" }, status: TimedOut };
  }
  const failure = outcome ?? { kind: "no-poweroff" as const, detail: "unknown" };
  if (failure.kind === "no-poweroff") report(failure.detail);
  return { outcome: failure, status: ShimFailed };
}
