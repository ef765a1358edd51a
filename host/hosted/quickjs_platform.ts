/**
 * The hosted-quickjs Platform: the HAL (kernel-ts/hal/platform.ts) implemented in TypeScript
 * on the Node side, for a kernel running inside quickjs-emscripten. installHostedHal() puts
 * the host functions into a context; hal_module_source.ts wraps them as `skiff:hal`.
 *
 * How each member is kept honest on a host:
 *   - consoleWrite: bytes go to the runner's sink (stdout) unchanged, in order.
 *   - monotonicNs: process.hrtime from the runner's start ("host-start"); wallClockMs: Date.now.
 *   - randomFill: node:crypto, copied into the VM's Uint8Array.
 *   - wait: a real sleep (Atomics.wait) to the deadline or until a device has news
 *     (hosted_devices.ts), never returning 0 before the deadline. One sleep is capped at
 *     maxSleepMs (1 s), as platform.ts allows hosted implementations, so wait(Infinity)
 *     returns 0 at the cap.
 *   - devices: the shared hosted devices (UDP network, file disk). The VM side of
 *     `skiff:hal` checks every argument against the device list it reads once, so misuse
 *     throws the VM's own TypeError/RangeError; the host functions trust their arguments.
 *     Bytes cross as ArrayBuffer copies; a disk read runs into a host buffer that the VM
 *     side copies into the caller's buffer when it collects the completion.
 *   - yieldToJobs: a VM promise the runner resolves once executePendingJobs ran the queue empty.
 *   - bootImage: the runner's bootImage bytes, copied into the VM once (the module caches them).
 *   - loadApp: evaluates the boot image's /app/NAME.js (kernel-ts/image/image_app.ts; a bad
 *     image rejects), else build/js/apps/NAME.js, as a module in the same context.
 *   - onUnhandledRejection: quickjs-emscripten 0.32 exposes no rejection tracker
 *     (RuntimeOptions.promiseRejectionHandler is a TODO there), so the handler is stored and
 *     never called: unhandled rejections go unreported when hosted.
 *   - poweroff: records the code, turns every later HAL call into a no-op, throws into the VM,
 *     and makes the interrupt handler stop whatever JS still runs; the runner exits with it.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten";
import { hostGlobalName } from "./hal_module_source.ts";
import { HostedDevices } from "./hosted_devices.ts";
import type { HostedDiskOptions } from "./hosted_disk.ts";
import type { HostedChannelOptions } from "./hosted_channel.ts";
import type { HostedNetOptions } from "./hosted_net.ts";
import { imageAppSource } from "../../kernel-ts/image/image_app.ts";

export interface BootMark {
  readonly label: string;
  readonly ns: number;
}

export interface HostedHalOptions {
  readonly cmdline: string;
  /** Folder of app bundles, NAME.js each (build/js/apps). */
  readonly appBundlesDir: string;
  /** Receives console bytes. */
  readonly write: (bytes: Uint8Array) => void;
  /** process.hrtime.bigint() at the runner's start: the monotonic clock's origin. */
  readonly originNs: bigint;
  readonly bootTimeline: readonly BootMark[];
  readonly memoryLimitBytes: number;
  /** Longest single sleep in wait(); also bounds how late a runner deadline is noticed. */
  readonly maxSleepMs?: number;
  readonly net?: HostedNetOptions;
  readonly disk?: HostedDiskOptions;
  /** A byte channel to another thread of this process (`skiff dev --hosted`). */
  readonly channel?: HostedChannelOptions;
  /** The app image bootImage() returns (build/apps/APP.img's bytes). */
  readonly bootImage?: Uint8Array;
}

export class PoweredOff extends Error {
  override readonly name = "PoweredOff";
  constructor(readonly code: number) {
    super(`hosted-quickjs: powered off with status ${code}`);
  }
}

const NotFound = "not-found";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export class HostedHal {
  /** Set by poweroff(); once set, no HAL call has any effect. */
  poweredOff: number | undefined;
  readonly #context: QuickJSContext;
  readonly #runtime: QuickJSRuntime;
  readonly #options: HostedHalOptions;
  readonly #yields: QuickJSDeferredPromise[] = [];
  #rejectionHandler: QuickJSHandle | undefined;
  #heapPeak = 0;
  readonly #devices: HostedDevices;
  /** Host buffers of disk reads, by request id, until the VM collects them. */
  readonly #reads = new Map<number, Uint8Array>();
  /** Export names of the modules the kernel defined (defineModule), by module name. */
  readonly #definedModules = new Map<string, string[]>();
  #closed = false;

  constructor(context: QuickJSContext, runtime: QuickJSRuntime, options: HostedHalOptions) {
    this.#context = context;
    this.#runtime = runtime;
    this.#options = options;
    this.#devices = new HostedDevices({ ...(options.net && { net: options.net }), ...(options.disk && { disk: options.disk }), ...(options.channel && { channel: options.channel }) });
  }

  /** Nanoseconds since the runner started. */
  monotonicNs(): number {
    return Number(process.hrtime.bigint() - this.#options.originNs);
  }

  get pendingYields(): number {
    return this.#yields.length;
  }

  /** Resolves every yieldToJobs() promise handed out so far (the runner ran the queue empty). */
  resolveYields(): void {
    for (const deferred of this.#yields.splice(0)) {
      deferred.resolve();
      deferred.dispose();
    }
  }

  dispose(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#devices.close();
    }
    for (const deferred of this.#yields.splice(0)) deferred.dispose();
    this.#rejectionHandler?.dispose();
    this.#rejectionHandler = undefined;
  }

  /** Installs the host functions on the global that `skiff:hal`'s source picks up and deletes. */
  /**
   * The source the module loader gives for `import … from name` when the kernel defined
   * that module: it re-exports the object the kernel passed to defineModule. undefined
   * when the kernel defined no such module.
   */
  definedModuleSource(name: string): string | undefined {
    const keys = this.#definedModules.get(name);
    if (keys === undefined) return undefined;
    const names = keys.filter((key) => IDENTIFIER.test(key));
    return [
      'import { definedModule } from "skiff:hal";',
      `const m = definedModule(${JSON.stringify(name)});`,
      names.length > 0 ? `export const { ${names.join(", ")} } = m;` : "",
    ].join("\n");
  }

  install(): void {
    const context = this.#context;
    const host = context.newObject();
    const define = (name: string, fn: (...args: QuickJSHandle[]) => QuickJSHandle | undefined): void => {
      const handle = context.newFunction(name, (...args) => {
        if (this.poweredOff !== undefined) throw new PoweredOff(this.poweredOff);
        return fn(...args);
      });
      context.setProp(host, name, handle);
      handle.dispose();
    };

    define("consoleWrite", (buffer) => {
      const bytes = context.getArrayBuffer(buffer!);
      try {
        this.#options.write(Uint8Array.from(bytes.value));
      } finally {
        bytes.dispose();
      }
      return undefined;
    });
    define("cmdline", () => context.newString(this.#options.cmdline));
    define("bootTimeline", () => context.newString(JSON.stringify(this.#options.bootTimeline)));
    define("memoryStats", () => context.newString(JSON.stringify(this.#memoryStats())));
    define("monotonicNs", () => context.newNumber(this.monotonicNs()));
    define("wallClockMs", () => context.newNumber(Date.now()));
    define("randomBytes", (length) => context.newArrayBuffer(Uint8Array.from(randomBytes(context.getNumber(length!))).buffer));
    define("wait", (deadline) => context.newNumber(this.#wait(context.getNumber(deadline!))));
    define("yieldToJobs", () => {
      const deferred = context.newPromise();
      this.#yields.push(deferred);
      return deferred.handle.dup();
    });
    define("bootImage", () => {
      const image = this.#options.bootImage;
      return image === undefined ? context.undefined : context.newArrayBuffer(image.slice().buffer);
    });
    define("loadApp", (name) => this.#loadApp(context.getString(name!)));
    define("evaluateApp", (name, code) => this.#evaluate(context.getString(name!), context.getString(code!)));
    define("defineModule", (name, keys) => {
      this.#definedModules.set(context.getString(name!), JSON.parse(context.getString(keys!)) as string[]);
      return context.undefined;
    });
    define("onUnhandledRejection", (handler) => {
      this.#rejectionHandler?.dispose();
      this.#rejectionHandler = handler!.dup();
      return undefined;
    });
    define("poweroff", (code) => {
      this.#devices.drain(500); // frames already handed over still go out, as in the VM
      this.poweredOff = context.getNumber(code!);
      throw new PoweredOff(this.poweredOff);
    });

    this.#installDevices(define);
    context.setProp(context.global, hostGlobalName, host);
    host.dispose();
  }

  /** The device host functions; the VM side (hal_module_source.ts) has checked the arguments. */
  #installDevices(define: (name: string, fn: (...args: QuickJSHandle[]) => QuickJSHandle | undefined) => void): void {
    const context = this.#context;
    const devices = this.#devices;
    const number = (handle: QuickJSHandle | undefined): number => context.getNumber(handle!);
    const json = (value: unknown): QuickJSHandle => context.newString(JSON.stringify(value));
    const idOrString = (result: number | string): QuickJSHandle => (typeof result === "number" ? context.newNumber(result) : context.newString(result));
    const bytesOf = (handle: QuickJSHandle | undefined): Uint8Array => {
      const lifetime = context.getArrayBuffer(handle!);
      try {
        return Uint8Array.from(lifetime.value);
      } finally {
        lifetime.dispose();
      }
    };

    define("devices", () => json(devices.list));
    define("netInfo", (device) => json(devices.net(number(device), "netInfo").info));
    define("netStats", (device) => json(devices.net(number(device), "netStats").stats()));
    define("netRead", (device) => {
      const packet = devices.net(number(device), "netRead").read();
      return typeof packet === "string" ? context.newString(packet) : context.newArrayBuffer(packet.buffer as ArrayBuffer);
    });
    define("netWriteOne", (device, frame) => context.newNumber(devices.net(number(device), "netWrite").write([bytesOf(frame)])));
    define("channelRead", (device) => {
      const bytes = devices.channel(number(device), "channelRead").read();
      return typeof bytes === "string" ? context.newString(bytes) : context.newArrayBuffer(bytes.buffer as ArrayBuffer);
    });
    define("channelWrite", (device, bytes) => idOrString(devices.channel(number(device), "channelWrite").write(bytesOf(bytes))));
    define("blockInfo", (device) => json(devices.disk(number(device), "blockInfo").info));
    define("blockRead", (device, sector, length) => {
      const buffer = new Uint8Array(number(length));
      const id = devices.disk(number(device), "blockRead").read(number(sector), buffer);
      if (typeof id === "number") this.#reads.set(id, buffer);
      return idOrString(id);
    });
    define("blockReadData", (id) => {
      const buffer = this.#reads.get(number(id));
      this.#reads.delete(number(id));
      return context.newArrayBuffer((buffer ?? new Uint8Array(0)).buffer as ArrayBuffer);
    });
    define("blockWrite", (device, sector, bytes) => idOrString(devices.disk(number(device), "blockWrite").write(number(sector), bytesOf(bytes))));
    define("blockFlush", (device) => idOrString(devices.disk(number(device), "blockFlush").flush()));
    define("blockCompletions", (device) => json(devices.disk(number(device), "blockCompletions").completions()));
  }

  /**
   * Sleeps to the deadline or until a device has news, never returning 0 before the
   * deadline except at the cap of one sleep (maxSleepMs), which platform.ts allows hosted
   * implementations.
   */
  #wait(deadlineNs: number): number {
    const until = Math.min(deadlineNs, this.monotonicNs() + (this.#options.maxSleepMs ?? 1000) * 1e6);
    return this.#devices.waitUntil(until, () => this.monotonicNs());
  }

  #memoryStats(): { heapTotal: number; heapUsed: number; heapPeak: number; jsLimit: number } {
    const usage = this.#runtime.computeMemoryUsage();
    const figures = this.#context.dump(usage) as { memory_used_size?: number };
    usage.dispose();
    const heapUsed = figures.memory_used_size ?? 0;
    this.#heapPeak = Math.max(this.#heapPeak, heapUsed);
    const limit = this.#options.memoryLimitBytes;
    return { heapTotal: limit, heapUsed, heapPeak: this.#heapPeak, jsLimit: limit };
  }

  /**
   * Evaluates apps/NAME.js as a fresh module. Resolves to its namespace, to NotFound when no
   * bundle has that name, or rejects with the module's own error.
   */
  #loadApp(name: string): QuickJSHandle {
    const context = this.#context;
    let fromImage: string | undefined;
    try {
      fromImage = imageAppSource(this.#options.bootImage, name);
    } catch (error) {
      return this.#settledPromise("reject", context.newError({ name: (error as Error).name, message: (error as Error).message }));
    }
    const file = path.join(this.#options.appBundlesDir, `${name}.js`);
    const validName = /^[A-Za-z0-9._-]+$/.test(name) && !name.startsWith(".");
    if (fromImage === undefined && (!validName || !fs.existsSync(file))) return this.#settledPromise("resolve", context.newString(NotFound));
    return this.#evaluate(name, fromImage ?? fs.readFileSync(file, "utf8"));
  }

  /** Evaluates `source` as app `name`'s module: a promise of its namespace (or of its error). */
  #evaluate(name: string, source: string): QuickJSHandle {
    const context = this.#context;
    const result = context.evalCode(source, `apps/${name}.js`, { type: "module" });
    if (result.error !== undefined) return this.#settledPromise("reject", result.error);
    // A module evaluates to its namespace, or to a promise of it when it awaits at top level.
    const state = context.getPromiseState(result.value) as { type: string; notAPromise?: boolean };
    if (state.notAPromise === true) return this.#settledPromise("resolve", result.value);
    return result.value;
  }

  /** A new VM promise already resolved or rejected with `value`, which this consumes. */
  #settledPromise(how: "resolve" | "reject", value: QuickJSHandle): QuickJSHandle {
    const deferred = this.#context.newPromise();
    deferred[how](value);
    value.dispose();
    const handle = deferred.handle.dup();
    deferred.dispose();
    return handle;
  }
}
