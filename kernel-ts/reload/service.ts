/**
 * service: the kernel's end of the development channel (hot reload; protocol.ts). `skiff dev`
 * pushes an app's new code; the service checks it and hands it to the running app
 * (loader/live_app.ts), and answers with the outcome. One line on the console per reload:
 *
 *   skiff: reloaded http-hello (apps/http-hello/main.ts) in 41 ms (load 30 ms, swap 11 ms)
 *   skiff: reload of http-hello rejected: Error: boom, and the stack at bundle positions
 *          (`skiff dev` holds the new code's source map and prints them at source positions)
 *
 * Kernel modules: the HTTP module (kernel-ts/http/code_slot.ts), the TCP module
 * (kernel-ts/net/tcp/code_slot.ts) and the loader's reload procedures (kernel-ts/loader/
 * code_slot.ts) take new code the same way, each in its CodeSlot (code_slot.ts), evaluated
 * with the kernel's globals. The app API (kernel-ts/web/module.ts: the web globals apps get)
 * is handed to the loader, which reloads every running app onto it (loader/reload_api.ts).
 * The rest of the kernel is not reloadable (docs/hot-reload.md).
 *
 * It exists only in development: it opens the channel when the boot image is a development
 * image (metadata `"development": true`, which only `skiff dev` writes) and the command line
 * carries `devtoken=` (16–64 hex digits, fresh for each boot, known to the host that booted
 * the machine). A reload is refused unless it carries that token, names the engine the boot
 * image was built for (its bytecode would be read unchecked), and names an app that is
 * running as a fetch app.
 */

import type { ChannelDevice } from "../dev/channel_device.ts";
import type { KernelConsole } from "../console/mod.ts";
import type { ImageMetadata } from "../image/metadata.ts";
import { engineMismatch } from "../image/metadata.ts";
import type { LiveApps } from "../loader/live_app.ts";
import { describe, stackFrames } from "../report.ts";
import type { ModuleNamespace } from "../hal/platform.ts";
import { httpCode } from "../http/code_slot.ts";
import { tcpCode } from "../net/tcp/code_slot.ts";
import { loaderCode } from "../loader/code_slot.ts";
import type { CodeSlot } from "./code_slot.ts";
import { encodeFrame, FrameReader, PROTOCOL_VERSION, ProtocolError, type Message, type Reload, type ReloadResult } from "./protocol.ts";

export interface DevServiceDeps {
  readonly console: KernelConsole;
  readonly channel: Pick<ChannelDevice, "read" | "write"> | undefined;
  /** The boot image's metadata, when there is a valid image. */
  readonly metadata: ImageMetadata | undefined;
  /** The command line's devtoken=, when given. */
  readonly token: string | undefined;
  readonly live: LiveApps;
  readonly bootId: string;
  readonly uptimeMs: () => number;
  /** Evaluates a reloaded kernel module's code in a context of its own, with the kernel's globals (Platform.evaluateApp). */
  readonly evaluate: (name: string, code: Uint8Array) => Promise<ModuleNamespace>;
  /** Makes a new build of the app API (its default export) the apps' (loader/reload_api.ts). */
  readonly reloadApi: (candidate: unknown) => Promise<unknown>;
}

/** The kernel modules a reload can replace, by name: how each takes a new build's default export. */
function kernelModules(deps: DevServiceDeps): ReadonlyMap<string, (candidate: unknown) => unknown> {
  const slot = (code: CodeSlot<object>) => (candidate: unknown): void => code.install(candidate);
  return new Map<string, (candidate: unknown) => unknown>([
    ["http", slot(httpCode)], ["tcp", slot(tcpCode)], ["loader", slot(loaderCode)], ["api", deps.reloadApi],
  ]);
}

const TOKEN = /^[0-9a-f]{16,64}$/;

/** Starts serving the channel when this is a development boot; says why not when it half is. Returns whether it started. */
export function startDevService(deps: DevServiceDeps): boolean {
  if (deps.metadata?.development !== true) return false;
  const { console } = deps;
  if (deps.token === undefined || !TOKEN.test(deps.token)) {
    console.log("skiff: development image, but no devtoken= (16–64 hex digits) on the command line: the development channel stays closed");
    return false;
  }
  if (deps.channel === undefined) {
    console.log("skiff: development image, but no channel device (virtio-console): the development channel stays closed");
    return false;
  }
  void serve(deps, deps.channel).catch((error: unknown) => {
    console.log(`skiff: the development channel stopped: ${describe(error)}`);
  });
  return true;
}

async function serve(deps: DevServiceDeps, channel: Pick<ChannelDevice, "read" | "write">): Promise<void> {
  const send = (message: Message): Promise<void | number> => channel.write(encodeFrame(message));
  await send({ type: "hello", protocol: PROTOCOL_VERSION, bootId: deps.bootId, uptimeMs: deps.uptimeMs(), engine: deps.metadata?.engine ?? null, apps: [...deps.live.keys()] });
  deps.console.log(`skiff: development channel open (boot ${deps.bootId})`);
  const reader = new FrameReader();
  for (;;) {
    const frames = reader.push(await channel.read());
    for (const frame of frames) {
      if (frame.message.type !== "reload") throw new ProtocolError(`Cannot serve the development channel: a ${frame.message.type} message came from the host`);
      await send(await reload(deps, frame.message, frame.payload));
    }
  }
}

async function reload(deps: DevServiceDeps, message: Reload, code: Uint8Array): Promise<ReloadResult> {
  const base = { type: "result" as const, id: message.id, app: String(message.app), bootId: deps.bootId };
  const refuse = (error: string): ReloadResult => {
    deps.console.log(`skiff: reload of ${base.app} rejected: ${error}`);
    return { ...base, ok: false, uptimeMs: deps.uptimeMs(), loadMs: 0, swapMs: 0, error };
  };
  if (message.token !== deps.token) return refuse("the development token is not this boot's (a `skiff dev` from another boot?)");
  const mismatch = deps.metadata !== undefined && typeof message.engine === "object" && message.engine !== null ? engineMismatch(message.engine, deps.metadata.engine) : "the reload names no engine";
  if (mismatch !== undefined) return refuse(mismatch);
  if (message.kind === "kernel") return reloadKernelModule(deps, message, code, refuse);
  const app = deps.live.get(message.app);
  if (app === undefined) return refuse(`no fetch app named ${base.app} is running (running: ${[...deps.live.keys()].join(", ") || "none"})`);
  try {
    const times = await app.reload(code);
    const changed = Array.isArray(message.changed) && message.changed.length > 0 ? ` (${message.changed.join(", ")})` : "";
    deps.console.log(`skiff: reloaded ${app.name}${changed} in ${(times.loadMs + times.swapMs).toFixed(0)} ms (load ${times.loadMs.toFixed(0)} ms, swap ${times.swapMs.toFixed(0)} ms)`);
    return { ...base, ok: true, uptimeMs: deps.uptimeMs(), ...times };
  } catch (error) {
    // Frames at bundle positions: the host holds the new code's source map and maps them.
    const frames = stackFrames(error);
    return refuse(`${describe(error)}${frames === "" ? "" : `\n${frames}`}`);
  }
}

/** A kernel module's new code: evaluated, checked and installed; its old code finishes what it started. */
async function reloadKernelModule(deps: DevServiceDeps, message: Reload, code: Uint8Array, refuse: (error: string) => ReloadResult): Promise<ReloadResult> {
  const modules = kernelModules(deps);
  const install = modules.get(message.app);
  if (install === undefined) return refuse(`no reloadable kernel module named ${message.app} (reloadable: ${[...modules.keys()].join(", ")})`);
  const started = deps.uptimeMs();
  try {
    const namespace = await deps.evaluate(`kernel/${message.app}`, code);
    const loaded = deps.uptimeMs();
    await install(namespace["default"]);
    const swapMs = deps.uptimeMs() - loaded;
    const changed = Array.isArray(message.changed) && message.changed.length > 0 ? ` (${message.changed.join(", ")})` : "";
    deps.console.log(`skiff: reloaded kernel module ${message.app}${changed} in ${(loaded - started + swapMs).toFixed(0)} ms (load ${(loaded - started).toFixed(0)} ms, swap ${swapMs.toFixed(0)} ms)`);
    return { type: "result", id: message.id, app: message.app, bootId: deps.bootId, ok: true, uptimeMs: deps.uptimeMs(), loadMs: loaded - started, swapMs };
  } catch (error) {
    const frames = stackFrames(error);
    return refuse(`${describe(error)}${frames === "" ? "" : `\n${frames}`}`);
  }
}
