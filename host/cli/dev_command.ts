/**
 * `skiff dev APP`: boots APP from a development image and swaps its code in the running VM
 * each time a source file is saved (hot reload; docs/hot-reload.md).
 *
 *   1. `make build` (the kernel, qjsc), then a development image of the app
 *      (build/apps/dev/APP.img: metadata "development": true; host/build/app_image_build.ts);
 *   2. the VM boots it with the development channel — a virtio-console port or the serial port
 *      on a Unix socket (build/dev/APP.sock; see below) — and `devtoken=` on its command line, 128 random bits
 *      fresh for this boot that every reload must carry (kernel-ts/reload/service.ts);
 *   3. it watches the app's folder; on a save it rebuilds (esbuild incremental + qjsc;
 *      host/dev/dev_build.ts), pushes the bytecode over the channel, and prints one line:
 *        skiff dev: reloaded APP (main.ts) in 180 ms: rebuild 60, transfer 40, load 50, swap 30
 *        skiff dev: APP not reloaded (main.ts): Error: … and the stack at source positions
 *      a build error is printed and nothing is sent: the VM keeps the code it has;
 *   4. it watches kernel-ts/ too: the kernel's own modules are not reloadable yet, so a kernel
 *      change rebuilds the kernel and reboots the VM, saying so.
 * APP is a name under apps/ or a path to an app's folder. The flags are `skiff run`'s
 * (--net, --mem, --machine, --cmdline, --no-build); the console is this terminal's. It ends
 * with the VM (its status) or on Ctrl-C (the VM is killed).
 *
 * --hosted: the kernel bundle runs in quickjs-emscripten in a worker thread of this process
 * (host/hosted/hosted_worker.ts); the development channel is a pair of byte rings in shared
 * memory between the two threads (host/hosted/byte_ring.ts), and the code pushed is the
 * bundle's source (that engine is another build: bytecode would not fit it).
 *
 * The channel's transport (--devchannel): under qemu a virtio-console port on a Unix socket
 * (virtio-console, the default), or the 16550 serial port on one (serial); under
 * cloud-hypervisor always the serial port — `--serial socket=PATH`, which it listens on — since
 * its --console (virtio-console) has no socket backend. With the serial transport the kernel's
 * console moves to virtio-console (qemu: a virtconsole port on stdout; cloud-hypervisor:
 * `--console tty`) and the kernel gets devchannel=serial (shim/include/console.h). The UART
 * is polled (every millisecond while the kernel sleeps) and takes a byte per access: slower
 * than virtio-console, but no new device or driver, and the same on both VMMs.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildAppImage, type AppImageBuilt } from "../build/app_image_build.ts";
import { readManifest, type AppSource } from "../build/manifest.ts";
import { appTarget, DevBuilder, kernelModuleTarget, type DevBuild } from "../dev/dev_build.ts";
import { DevChannel } from "../dev/dev_channel.ts";
import { watchTree, type TreeWatch } from "../dev/watch_tree.ts";
import { newByteRing } from "../hosted/byte_ring.ts";
import { startHostedWorker } from "../hosted/hosted_worker.ts";
import type { ChannelTransport } from "../launch/devices.ts";
import { launch, skiffCmdline, type Launch } from "../launch/launch.ts";
import { startTapBridge } from "../tapbridge/tap_bridge.ts";
import { paths } from "../launch/paths.ts";
import { mapFrames } from "../../kernel-ts/loader/source_map.ts";
import type { Hello } from "../../kernel-ts/reload/protocol.ts";
import { appSource } from "./apps.ts";
import { runMake } from "./make.ts";
import { parseRunArgs, type RunOptions } from "./run_args.ts";
import { LaunchFailedExit, UsageError } from "./usage.ts";

/**
 * The folder whose kernel-ts/ is watched and whose HTTP module is rebuilt: this checkout, or
 * SKIFF_DEV_KERNEL_ROOT (the tests point it at a copy, to edit kernel sources without
 * touching the checkout other tests build from). A reboot still builds this checkout.
 */
const kernelRoot = process.env.SKIFF_DEV_KERNEL_ROOT ?? paths.repoRoot;

/** Each direction of a hosted kernel's channel: room for a large app's code in one go. */
const RING_BYTES = 4 * 1024 * 1024;

/** How long a burst of saves is gathered before one rebuild. */
const SETTLE_MS = 30;

function say(line: string): void {
  process.stdout.write(`skiff dev: ${line}\n`);
}

/** A name under apps/, or a path to an app's folder. */
function devAppSource(arg: string): AppSource {
  return arg.includes("/") ? readManifest(path.resolve(arg)) : appSource(arg);
}

/** `--devchannel virtio-console|serial`, taken out of `argv` (the rest are `skiff run`'s flags). */
function takeDevChannel(argv: readonly string[]): { rest: string[]; transport: ChannelTransport | undefined } {
  const rest: string[] = [];
  let transport: ChannelTransport | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== "--devchannel") {
      rest.push(argv[i]!);
      continue;
    }
    const value = argv[++i];
    if (value !== "virtio-console" && value !== "serial") throw new UsageError(`Cannot use --devchannel ${JSON.stringify(value ?? "")}: expected virtio-console or serial`);
    transport = value;
  }
  return { rest, transport };
}

export async function devCommand(argv: readonly string[]): Promise<number> {
  const { rest, transport: asked } = takeDevChannel(argv);
  const options = parseRunArgs(rest);
  if (options.hosted && asked !== undefined) throw new UsageError("Cannot use --devchannel with --hosted: the hosted channel is shared memory between two threads");
  if (options.vmm === "cloud-hypervisor" && asked === "virtio-console") {
    throw new UsageError("Cannot use --devchannel virtio-console on cloud-hypervisor: its --console has no socket backend (the serial port carries the channel there)");
  }
  const transport: ChannelTransport = asked ?? (options.vmm === "cloud-hypervisor" ? "serial" : "virtio-console");
  const app = devAppSource(options.app);
  if (options.build) runMake(options.hosted ? "bundles" : "build");
  if (options.hosted && options.build && options.devices.some((device) => device.kind === "net" && device.backend === "tap")) runMake("tapbridge");
  const session = new DevSession(app, options, transport);
  const stop = (): void => session.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await session.run();
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

class DevSession {
  readonly #app: AppSource;
  readonly #options: RunOptions;
  readonly #transport: ChannelTransport;
  readonly #builder: DevBuilder;
  /** The kernel modules that reload in place (KERNEL_MODULES), each with its builder and the files a reload replaces. */
  readonly #modules: ModuleBuild[];
  readonly #socket: string;
  #vm: Launch | undefined;
  #hosted: { readonly stop: () => Promise<void> } | undefined;
  #channel: DevChannel | undefined;
  #hello: Hello | undefined;
  #token = "";
  #stopped = false;
  #rebooting = false;
  readonly #inputs = new InputFiles();
  readonly #kernelInputs = new InputFiles();
  #kernelTimer: NodeJS.Timeout | undefined;
  #timer: NodeJS.Timeout | undefined;
  #busy: Promise<void> = Promise.resolve();
  readonly #watchers: TreeWatch[] = [];

  constructor(app: AppSource, options: RunOptions, transport: ChannelTransport) {
    this.#app = app;
    this.#options = options;
    this.#transport = transport;
    // A VM evaluates bytecode; a hosted kernel (quickjs-emscripten, another build) the bundle's source.
    const qjsc = options.hosted ? undefined : paths.qjsc;
    this.#builder = new DevBuilder(appTarget(app), path.join(paths.buildDir, "dev", "work", app.name), qjsc);
    // Hosted apps run in the kernel's own context, on its globals: a new app API cannot reach them there.
    this.#modules = KERNEL_MODULES.filter((module) => !(options.hosted && module.name === "api")).map((module) => ({
      module, files: new Set<string>(),
      builder: new DevBuilder(kernelModuleTarget(kernelRoot, module.name, module.dir), path.join(paths.buildDir, "dev", "work", `kernel-${module.name}`), qjsc),
    }));
    this.#socket = path.join(paths.buildDir, "dev", `${app.name}.sock`);
  }

  async run(): Promise<number> {
    fs.mkdirSync(path.dirname(this.#socket), { recursive: true });
    const image = await this.#buildImage();
    this.#inputs.record((await this.#builder.build()).inputs); // and warms esbuild's incremental context
    this.#watch(this.#app.dir, () => this.#appChanged());
    this.#kernelInputs.record(kernelSources());
    for (const entry of this.#modules) entry.files = reloadableFiles(entry.module, (await entry.builder.build()).inputs);
    this.#watch(path.join(kernelRoot, "kernel-ts"), () => this.#kernelChanged());
    for (;;) {
      const status = await this.#boot(image.path);
      if (!this.#rebooting || this.#stopped) {
        this.#close();
        return status;
      }
      this.#rebooting = false;
    }
  }

  /** The development image of the app as its sources are now. */
  #buildImage(): Promise<AppImageBuilt> {
    return buildAppImage({ app: this.#app, qjsc: paths.qjsc, outDir: path.join(paths.appImagesDir, "dev"), tsconfig: paths.tsconfig, development: true });
  }

  stop(): void {
    this.#stopped = true;
    this.#halt();
  }

  /** Stops the running machine: kills the VM, or ends the hosted kernel's worker. */
  #halt(): void {
    this.#vm?.process.kill();
    void this.#hosted?.stop();
  }

  #boot(imagePath: string): Promise<number> {
    return this.#options.hosted ? this.#bootHosted(imagePath) : this.#bootVm(imagePath);
  }

  #cmdline(): string {
    return skiffCmdline(this.#app.name, [this.#options.cmdline, `devtoken=${this.#token}`].filter((part) => part !== "").join(" "));
  }

  /** Meets the guest on `channel`, once it says hello. */
  #meet(channel: DevChannel): Promise<void> {
    this.#channel = channel;
    return channel.hello().then((hello) => {
      this.#hello = hello;
      say(`connected to boot ${hello.bootId}; watching ${path.relative(process.cwd(), this.#app.dir)}/ and kernel-ts/`);
    });
  }

  /**
   * Runs the kernel hosted, in a worker thread of this process (host/hosted/hosted_worker.ts),
   * the development channel a pair of byte rings between the threads; serves it until it
   * powers off; its status. A tap is reached through tapbridge, as `skiff run --hosted` does.
   */
  async #bootHosted(imagePath: string): Promise<number> {
    this.#token = randomBytes(16).toString("hex");
    const events = new SharedArrayBuffer(4);
    const rings = { toKernel: newByteRing(RING_BYTES, events), fromKernel: newByteRing(RING_BYTES, events) };
    const net = this.#options.devices.find((device) => device.kind === "net");
    const bridge = net?.kind === "net" && net.backend === "tap"
      ? await startTapBridge({ ifname: net.ifname, ...(this.#options.netns !== undefined ? { netns: this.#options.netns } : {}) })
      : undefined;
    try {
      const hosted = startHostedWorker({
        kernelBundle: paths.kernelBundle,
        appBundlesDir: paths.appBundlesDir,
        cmdline: this.#cmdline(),
        bootImage: imagePath,
        channel: rings,
        ...(bridge !== undefined ? { net: bridge.net } : {}),
        ...(net?.kind === "net" && net.backend === "dgram" ? { net: { local: { address: "127.0.0.1", port: net.localPort }, remote: { address: "127.0.0.1", port: net.remotePort } } } : {}),
      }, paths.repoRoot);
      this.#hosted = hosted;
      void this.#meet(DevChannel.overRings(rings));
      const result = await hosted.result.catch((error: unknown) => {
        if (!this.#stopped && !this.#rebooting) process.stderr.write(`skiff: the hosted kernel failed: ${(error as Error).message}\n`);
        return undefined;
      });
      return result?.status ?? LaunchFailedExit;
    } finally {
      this.#hosted = undefined;
      this.#channel?.close();
      this.#channel = undefined;
      this.#hello = undefined;
      await bridge?.stop();
    }
  }

  /** Boots the VM and serves it until it exits; its status. */
  async #bootVm(imagePath: string): Promise<number> {
    fs.rmSync(this.#socket, { force: true });
    this.#token = randomBytes(16).toString("hex");
    const devices = [...this.#options.devices, { kind: "channel" as const, socket: this.#socket, transport: this.#transport }];
    for (const device of this.#options.devices) {
      if (device.kind === "net" && device.backend === "user") say(`http://127.0.0.1:${device.hostPort}/ on this machine reaches the guest's port ${device.guestPort}`);
    }
    const vm = launch({
      vmm: this.#options.vmm,
      machine: this.#options.machine,
      accel: this.#options.accel,
      memory: this.#options.memory,
      cmdline: this.#cmdline(),
      initrd: imagePath,
      devices,
      ...(this.#options.netns !== undefined ? { netns: this.#options.netns } : {}),
      timeoutMs: this.#options.timeoutMs,
      onOutput: (chunk) => process.stdout.write(chunk),
      onStderr: (chunk) => process.stderr.write(chunk),
    });
    this.#vm = vm;
    const connecting = DevChannel.connect(this.#socket).then((channel) => this.#meet(channel))
      .catch((error: unknown) => say(`no development channel: ${(error as Error).message}`));
    const result = await vm.result;
    await connecting;
    this.#channel?.close();
    this.#channel = undefined;
    this.#hello = undefined;
    if (result.guest.ok) return result.guest.code;
    if (!this.#stopped && !this.#rebooting) process.stderr.write(`skiff: ${result.guest.reason} running ${path.basename(result.program)}\n`);
    return LaunchFailedExit;
  }

  #watch(dir: string, onChange: () => void): void {
    this.#watchers.push(watchTree(dir, onChange));
  }

  /**
   * Something under the app's folder changed. Which files did is read from their mtimes, not
   * from the watcher: on Linux it may name an editor's temporary file instead of the file
   * renamed over the source. Changes to files the bundle is not made of are ignored.
   */
  #appChanged(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#busy = this.#busy.then(() => {
        const changed = this.#inputs.changed();
        if (changed.length === 0) return;
        this.#inputs.refresh(); // seen: a failed build is not tried again until the next save
        return this.#reload("app", this.#app.name, this.#builder, changed, (build) => this.#inputs.record(build.inputs)); // a new import is watched from now on
      });
    }, SETTLE_MS);
  }

  /**
   * Rebuilds app or kernel module `name` with `builder` and sends the new code over the
   * channel, printing the outcome; `built` is told what a successful build read. A failed
   * build sends nothing: the guest keeps the code it has.
   */
  async #reload(kind: "app" | "kernel", name: string, builder: DevBuilder, changed: readonly string[], built: (build: DevBuild) => void): Promise<void> {
    const names = changed.map((file) => path.basename(file)).join(", ");
    const what = kind === "app" ? name : `kernel module ${name}`;
    let build: DevBuild;
    try {
      build = await builder.build();
    } catch (error) {
      say(`${what} not reloaded (${names}): the build failed:\n${buildErrors(error)}`);
      return;
    }
    built(build);
    const channel = this.#channel;
    const engine = this.#hello?.engine;
    if (channel === undefined || engine === undefined || engine === null) {
      say(`${what} not reloaded (${names}): the VM's development channel is not connected`);
      return;
    }
    const sent = performance.now();
    try {
      const result = await channel.reload(this.#token, kind, name, engine, changed, build.code);
      const transfer = Math.max(0, performance.now() - sent - result.loadMs - result.swapMs);
      if (result.ok) {
        const total = build.ms + transfer + result.loadMs + result.swapMs;
        say(`reloaded ${what} (${names}) in ${total.toFixed(0)} ms: rebuild ${build.ms.toFixed(0)}, transfer ${transfer.toFixed(0)}, load ${result.loadMs.toFixed(0)}, swap ${result.swapMs.toFixed(0)} (boot ${result.bootId}, up ${(result.uptimeMs / 1000).toFixed(1)} s)`);
      } else {
        say(`${what} not reloaded (${names}): ${mapFrames(result.error ?? "no reason given", builder.moduleName, build.map)}`);
      }
    } catch (error) {
      say(`${what} not reloaded (${names}): ${(error as Error).message}`);
    }
  }

  /**
   * Something under kernel-ts/ changed. When every changed file belongs to a kernel module that
   * reloads in place (KERNEL_MODULES), each such module is rebuilt and reloaded in the running
   * VM; any other kernel change rebuilds the kernel and reboots the VM, saying why.
   */
  #kernelChanged(): void {
    clearTimeout(this.#kernelTimer);
    this.#kernelTimer = setTimeout(() => {
      const changed = this.#kernelInputs.changed();
      if (changed.length === 0 || this.#rebooting || (this.#vm === undefined && this.#hosted === undefined)) return;
      this.#kernelInputs.record(kernelSources());
      const reloads = this.#modules.filter((entry) => changed.some((file) => entry.files.has(path.resolve(file))));
      const notReloadable = changed.filter((file) => !this.#modules.some((entry) => entry.files.has(path.resolve(file))));
      if (notReloadable.length === 0) {
        for (const entry of reloads) {
          const mine = changed.filter((file) => entry.files.has(path.resolve(file)));
          this.#busy = this.#busy.then(() => this.#reload("kernel", entry.module.name, entry.builder, mine, (build) => { entry.files = reloadableFiles(entry.module, build.inputs); }));
        }
        return;
      }
      this.#rebooting = true;
      const started = performance.now();
      const inPlace = this.#modules.map(({ module }) => `${module.name} module (kernel-ts/${module.dir}${module.resident.length > 0 ? `, less ${module.resident.join(", ")}` : ""})`);
      const hostedApi = this.#options.hosted && notReloadable.some((file) => path.resolve(file).startsWith(path.join(kernelRoot, "kernel-ts", "web") + path.sep))
        ? " (hosted apps share the kernel's context and globals: the app API reloads in place only in a VM)" : "";
      say(`${notReloadable.join(", ")} changed: only the kernel's ${inPlace.join(" and ")} reload in place${hostedApi}; rebuilding the kernel and rebooting the VM`);
      this.#busy = this.#busy.then(async () => {
        try {
          // No type-check (`make build`'s): this is the fast path. Hosted runs the bundle.
          runMake(this.#options.hosted ? "bundles" : "build/skiff.elf");
          await this.#buildImage(); // the app as it is now, not as it was at the first boot
        } catch (error) {
          say(`the kernel build failed, the VM keeps running the old kernel: ${(error as Error).message}`);
          this.#rebooting = false;
          return;
        }
        this.#halt();
        say(`kernel rebuilt in ${(performance.now() - started).toFixed(0)} ms; rebooting`);
      });
    }, SETTLE_MS);
  }

  #close(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#kernelTimer);
    for (const watcher of this.#watchers) watcher.close();
    void this.#builder.dispose();
    for (const entry of this.#modules) void entry.builder.dispose();
    fs.rmSync(this.#socket, { force: true });
  }
}

/** The files a bundle was made from, with their mtimes at the last build. */
class InputFiles {
  #mtimes = new Map<string, number>();

  record(files: readonly string[]): void {
    this.#mtimes = new Map(files.map((file) => [file, mtimeOf(file)]));
  }

  /** Takes the current mtimes of the files already known. */
  refresh(): void {
    this.record([...this.#mtimes.keys()]);
  }

  /** The files changed since the last record(), relative to the working folder. */
  changed(): string[] {
    return [...this.#mtimes].filter(([file, mtime]) => mtimeOf(file) !== mtime).map(([file]) => path.relative(process.cwd(), file));
  }
}

/** A kernel module that reloads in place: its folder under kernel-ts/ and the files there that stay resident. */
interface KernelModule {
  readonly name: string;
  readonly dir: string;
  readonly resident: readonly string[];
}

/** A reloadable kernel module's builder, and the files a reload of it replaces (from its last build). */
interface ModuleBuild {
  readonly module: KernelModule;
  readonly builder: DevBuilder;
  files: Set<string>;
}

/** kernel-ts/reload/service.ts has the same names: each module's code_slot.ts installs its new code. */
const KERNEL_MODULES: readonly KernelModule[] = [
  { name: "http", dir: "http", resident: ["server.ts", "code_slot.ts"] },
  { name: "tcp", dir: "net/tcp", resident: ["stack.ts", "connection.ts", "code_slot.ts", "tcb.ts"] },
  { name: "loader", dir: "loader", resident: ["live_app.ts", "code_slot.ts", "app_api.ts"] },
  // The app API: every running app is loaded again with the new web globals (loader/reload_api.ts).
  { name: "api", dir: "web", resident: [] },
];

/** The files a reload of `module` replaces: its bundle's inputs inside its folder, less the resident ones. */
function reloadableFiles(module: KernelModule, inputs: readonly string[]): Set<string> {
  const dir = path.join(kernelRoot, "kernel-ts", module.dir) + path.sep;
  const resident = new Set(module.resident.map((file) => path.join(dir, file)));
  return new Set(inputs.filter((file) => file.startsWith(dir) && !resident.has(file)));
}

/** Every source file of the kernel (kernel-ts/, .ts and .d.ts). */
function kernelSources(): string[] {
  const root = path.join(kernelRoot, "kernel-ts");
  return fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).map((file) => path.join(root, file));
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1; // gone: that is a change too
  }
}

/** esbuild's errors, one "file:line:column: text" a line. */
function buildErrors(error: unknown): string {
  const errors = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return `  ${(error as Error).message}`;
  return errors.map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ` : ""}${e.text}`).join("\n");
}
