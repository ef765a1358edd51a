/**
 * node_platform: NodePlatform, the HAL on Node ("hosted-node"). The kernel runs in the
 * host's Node process: fast to start, easy to debug, and the second implementation the
 * conformance suite runs against (tests/unit/hal_conformance.test.ts).
 *
 * - Console: bytes go to process.stdout (synchronous for files, pipes and TTYs on Linux),
 *   or to an injected `write` for tests.
 * - Clock: process.hrtime.bigint(), origin at construction. wallClockMs is Date.now().
 * - Devices (hosted_devices.ts): options.net, Ethernet frames in UDP datagrams as qemu's
 *   `-netdev dgram` carries them, received by a worker thread; options.disk, a file.
 *   checksum is internetChecksum in TypeScript, halfSipHash halfSipHash24.
 * - wait: sleeps the thread with Atomics.wait until the deadline or until a device has
 *   news (the UDP worker notifies the cell the thread sleeps on); one call sleeps at most
 *   `maxSleepMs` and then returns ReadySet 0 (a spurious wake, allowed by the contract),
 *   so wait(Infinity) cannot block the process forever.
 * - bootImage(): the app image file given as options.bootImage (read once, at construction).
 * - loadApp(NAME) first looks in that image for /app/NAME.js (kernel-ts/image/image_app.ts; a
 *   bad image makes it reject), then imports `<appsDir>/NAME.js`, the self-contained ESM
 *   bundle `make bundles` writes (build/js/apps by default). To evaluate afresh on each call it imports the
 *   file's text as a fresh data: URL (a query string is not enough: tsx's loader drops it
 *   and Node's module cache then hands back the first namespace); a sourceURL comment
 *   keeps the file's path in stack traces.
 * - poweroff: with `exit: true` (a CLI run) calls process.exit(code); otherwise (tests, the
 *   default) records the code and throws the fake's PoweredOff, so an ava worker survives.
 */

import { randomFillSync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getHeapStatistics } from "node:v8";
import { PoweredOff } from "../../kernel-ts/hal/fake.ts";
import {
  NotFound, type Again, type DeadlinePassed, type BlockCompletion, type BlockInfo, type BootMark, type DeviceInfo, type MemoryStats,
  type ModuleNamespace, type NetInfo, type NetStats, type Platform, type ReadOnly, type ReadySet,
} from "../../kernel-ts/hal/platform.ts";
import { runWithDeadlineAfterTheFact } from "../../kernel-ts/hal/deadline_after_the_fact.ts";
import { asciiDecode, asciiEncode } from "../../kernel-ts/hal/ascii.ts";
import { DefinedModules } from "../../kernel-ts/hal/defined_modules.ts";
import { imageAppSource } from "../../kernel-ts/image/image_app.ts";
import { HostedDevices, internetChecksum } from "./hosted_devices.ts";
import { halfSipHash24 } from "../../kernel-ts/hal/halfsiphash.ts";
import { linkDefinedModules } from "./node_app_modules.ts";
import type { HostedDiskOptions } from "./hosted_disk.ts";
import type { HostedNetOptions } from "./hosted_net.ts";

export { PoweredOff };

export interface NodePlatformOptions {
  /** What cmdline() returns; default "". */
  readonly cmdline?: string;
  /** Where NAME.js app bundles live; default <repo>/build/js/apps. */
  readonly appsDir?: string;
  /** Console sink; default: process.stdout. Receives a copy the caller may keep. */
  readonly write?: (bytes: Uint8Array) => void;
  /** true: poweroff calls process.exit(code). false (default): it throws PoweredOff. */
  readonly exit?: boolean;
  /** The platform's boot stages; default one mark, "hosted-start", at construction (0 ns). */
  readonly bootTimeline?: readonly BootMark[];
  /** The longest one wait() call sleeps; default 1000 ms. */
  readonly maxSleepMs?: number;
  /** A network device: Ethernet frames in UDP datagrams (qemu's -netdev dgram framing). */
  readonly net?: HostedNetOptions;
  /** A block device backed by a file. */
  readonly disk?: HostedDiskOptions;
  /** The app image bootImage() returns: a file (`skiff run --hosted` passes build/apps/APP.img), or its bytes. */
  readonly bootImage?: string | Uint8Array;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const APP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** How long poweroff waits for the network to send what it was given (the shim: 500 ms). */
const DRAIN_MS = 500;

export class NodePlatform implements Platform {
  readonly name = "hosted-node" as const;
  readonly #originNs = process.hrtime.bigint();
  readonly #devices: HostedDevices;
  #closed = false;
  readonly #cmdline: string;
  readonly #appsDir: string;
  readonly #modules = new DefinedModules();
  readonly #write: (bytes: Uint8Array) => void;
  readonly #exit: boolean;
  readonly #bootTimeline: readonly BootMark[];
  readonly #maxSleepMs: number;
  readonly #bootImage: Uint8Array | undefined;
  #heapPeak = 0;
  #loads = 0;
  #rejectionHandler: ((reason: unknown) => void) | undefined;
  #exitCode: number | undefined;
  readonly #rejectionListener = (reason: unknown) => this.#rejectionHandler?.(reason);
  #listening = false;

  constructor(options: NodePlatformOptions = {}) {
    this.#cmdline = options.cmdline ?? "";
    this.#appsDir = options.appsDir ?? join(REPO_ROOT, "build", "js", "apps");
    this.#write = options.write ?? ((bytes) => { process.stdout.write(bytes); });
    this.#exit = options.exit ?? false;
    this.#bootTimeline = options.bootTimeline ?? [{ label: "hosted-start", ns: 0 }];
    this.#maxSleepMs = options.maxSleepMs ?? 1000;
    this.#bootImage = typeof options.bootImage === "string" ? new Uint8Array(readFileSync(options.bootImage)) : options.bootImage;
    this.#devices = new HostedDevices({ ...(options.net && { net: options.net }), ...(options.disk && { disk: options.disk }) });
  }

  consoleWrite(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot write to console: bytes is not a Uint8Array");
    if (bytes.length === 0) return;
    this.#write(Buffer.from(bytes)); // a copy: stdout may still hold it after we return
  }

  cmdline(): string {
    return this.#cmdline;
  }

  bootTimeline(): BootMark[] {
    return this.#bootTimeline.map((mark) => ({ ...mark }));
  }

  memoryStats(): MemoryStats {
    const heap = getHeapStatistics();
    this.#heapPeak = Math.max(this.#heapPeak, heap.used_heap_size);
    return {
      heapTotal: heap.total_heap_size,
      heapUsed: Math.min(heap.used_heap_size, heap.total_heap_size),
      heapPeak: this.#heapPeak,
      jsLimit: heap.heap_size_limit,
    };
  }

  monotonicNs(): number {
    return Number(process.hrtime.bigint() - this.#originNs);
  }

  wallClockMs(): number {
    return Date.now();
  }

  randomFill(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("Cannot fill with random bytes: bytes is not a Uint8Array");
    randomFillSync(bytes);
  }

  wait(deadlineNs: number): ReadySet {
    if (typeof deadlineNs !== "number" || Number.isNaN(deadlineNs)) throw new TypeError("Cannot wait: deadlineNs is not a number");
    const latestNs = this.monotonicNs() + this.#maxSleepMs * 1e6;
    return this.#devices.waitUntil(Math.min(deadlineNs, latestNs), () => this.monotonicNs());
  }

  yieldToJobs(): Promise<void> {
    // setImmediate runs after Node has drained the microtask (promise job) queue.
    return new Promise<void>((resolve) => setImmediate(resolve));
  }

  bootImage(): Uint8Array | undefined {
    return this.#bootImage;
  }

  async loadApp(name: string): Promise<ModuleNamespace | NotFound> {
    if (typeof name !== "string") throw new TypeError("Cannot load app: name is not a string");
    const fromImage = imageAppSource(this.#bootImage, name);
    if (fromImage !== undefined) return this.#evaluate(fromImage, `image:/app/${name}.js`);
    if (!APP_NAME.test(name)) return NotFound;
    const path = join(this.#appsDir, `${name}.js`);
    if (!existsSync(path)) return NotFound;
    return this.#evaluate(readFileSync(path, "utf8"), pathToFileURL(path).href);
  }

  async evaluateApp(name: string, code: Uint8Array): Promise<ModuleNamespace> {
    if (typeof name !== "string") throw new TypeError("Cannot evaluate app: name is not a string");
    if (!(code instanceof Uint8Array)) throw new TypeError("Cannot evaluate app: code is not a Uint8Array");
    return this.#evaluate(new TextDecoder().decode(code), `reload:/app/${name}.js`);
  }

  /** Evaluates a bundle as a fresh module; `url` names it in stack traces. */
  async #evaluate(text: string, url: string): Promise<ModuleNamespace> {
    const bundle = linkDefinedModules(text, this.#modules);
    const source = `${bundle}\n//# sourceURL=${url}?load=${++this.#loads}\n`;
    return (await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`)) as ModuleNamespace;
  }

  defineModule(name: string, exports: Readonly<Record<string, unknown>>): void {
    this.#modules.define(name, exports);
  }

  /** Node cannot stop running JS: fn runs to its end and the deadline is judged then (platform.ts's MAY). */
  runWithDeadline(deadlineNs: number, fn: () => void): DeadlinePassed | undefined {
    return runWithDeadlineAfterTheFact(() => this.monotonicNs(), deadlineNs, fn);
  }

  onUnhandledRejection(handler: (reason: unknown) => void): void {
    if (typeof handler !== "function") throw new TypeError("Cannot register rejection handler: handler is not a function");
    this.#rejectionHandler = handler;
    if (!this.#listening) {
      process.on("unhandledRejection", this.#rejectionListener);
      this.#listening = true;
    }
  }

  poweroff(code: number): never {
    if (!Number.isInteger(code) || code < 0 || code > 255) throw new RangeError(`Cannot power off with status ${code}: not an integer in 0–255`);
    this.#exitCode = code;
    this.#devices.drain(DRAIN_MS); // frames already handed over still go out, as in the VM
    this.dispose();
    if (this.#exit) process.exit(code);
    throw new PoweredOff(code);
  }

  // ── devices (hosted_devices.ts) ──────────────────────────────────────────────────

  devices(): DeviceInfo[] {
    return this.#devices.list.map((info) => ({ ...info }));
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
    const info = this.#devices.net(device, "netInfo").info;
    return { ...info, offloads: { ...info.offloads } };
  }

  netStats(device: number): NetStats {
    return this.#devices.net(device, "netStats").stats();
  }

  netRead(device: number): Uint8Array | Again {
    return this.#devices.net(device, "netRead").read();
  }

  netWrite(device: number, frames: readonly Uint8Array[]): number {
    return this.#devices.net(device, "netWrite").write(frames);
  }

  blockInfo(device: number): BlockInfo {
    return { ...this.#devices.disk(device, "blockInfo").info };
  }

  blockRead(device: number, sector: number, buffer: Uint8Array): number | Again {
    return this.#devices.disk(device, "blockRead").read(sector, buffer);
  }

  blockWrite(device: number, sector: number, buffer: Uint8Array): number | Again | ReadOnly {
    return this.#devices.disk(device, "blockWrite").write(sector, buffer);
  }

  blockFlush(device: number): number | Again {
    return this.#devices.disk(device, "blockFlush").flush();
  }

  blockCompletions(device: number): BlockCompletion[] {
    return this.#devices.disk(device, "blockCompletions").completions();
  }

  rngRead(device: number, _bytes: Uint8Array): number | Again {
    return this.#devices.none(device, "rng", "rngRead");
  }

  channelRead(device: number): Uint8Array | Again {
    return this.#devices.none(device, "console", "channelRead");
  }

  channelWrite(device: number, _bytes: Uint8Array): number | Again {
    return this.#devices.none(device, "console", "channelWrite");
  }

  // ── host controls ─────────────────────────────────────────────────────────────────

  /** The code poweroff was called with, or undefined while the machine runs. */
  get exitCode(): number | undefined {
    return this.#exitCode;
  }

  /** The UDP port the network device is bound to (useful with local port 0). */
  get netLocalPort(): number | undefined {
    return this.#devices.netLocalPort;
  }

  /**
   * Removes the process-wide listener onUnhandledRejection installed, stops the UDP
   * worker and closes the disk file. Idempotent.
   */
  dispose(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#devices.close();
    }
    if (!this.#listening) return;
    process.off("unhandledRejection", this.#rejectionListener);
    this.#listening = false;
  }
}
