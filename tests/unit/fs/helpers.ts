/**
 * Helpers for the VFS tests: a tree like the kernel's (a read-only root holding the mount
 * points, ramfs, devfs and an image) with a settable clock, a captured console and a
 * counting randomFill, and `outcome`, which records what a call did — its value or its
 * error's code, syscall, path, dest and message — so two file systems can be compared.
 */
import { Devfs, ImageFs, Ramfs, Vfs, createFsPromises } from "../../../kernel-ts/fs/mod.ts";

export interface TreeOptions {
  /** Where the ramfs goes; default /tmp. */
  readonly ramfsAt?: string;
  readonly maxBytes?: number;
  readonly maxNodes?: number;
  readonly maxOpenFiles?: number;
  readonly appFiles?: ReadonlyMap<string, Uint8Array>;
  readonly appDirectories?: readonly string[];
}

export function makeTree(options: TreeOptions = {}) {
  const ramfsAt = options.ramfsAt ?? "/tmp";
  const clock = { nowMs: 1_700_000_000_000 };
  const nowMs = () => clock.nowMs;
  const console: Uint8Array[] = [];
  let randomCalls = 0;
  const vfs = new Vfs(options.maxOpenFiles !== undefined ? { maxOpenFiles: options.maxOpenFiles } : {});
  vfs.mount("/", new ImageFs(new Map(), { directories: [ramfsAt, "/dev", "/app"], timeMs: 0 }));
  const ramfs = new Ramfs({ maxBytes: options.maxBytes ?? 1 << 20, ...(options.maxNodes !== undefined ? { maxNodes: options.maxNodes } : {}), nowMs });
  vfs.mount(ramfsAt, ramfs);
  vfs.mount("/dev", new Devfs({
    consoleWrite: (bytes) => console.push(bytes.slice()),
    randomFill: (bytes) => { randomCalls += 1; for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 1) & 0xff; },
    nowMs,
  }));
  vfs.mount("/app", new ImageFs(options.appFiles ?? new Map(), { directories: options.appDirectories ?? [], timeMs: 42 }));
  const fs = createFsPromises(vfs);
  return {
    vfs, fs, ramfs, clock,
    consoleText: () => Buffer.concat(console).toString("utf8"),
    randomCalls: () => randomCalls,
  };
}

export type Outcome =
  | { readonly ok: unknown }
  | { readonly code: unknown; readonly syscall: unknown; readonly path: unknown; readonly dest: unknown; readonly message: string; readonly errno: unknown };

/** What `action` did, in a form deepEqual can compare across implementations. */
export async function outcome(action: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: plain(await action()) };
  } catch (error) {
    const e = error as { code?: unknown; syscall?: unknown; path?: unknown; dest?: unknown; message: string; errno?: unknown };
    return { code: e.code, syscall: e.syscall, path: e.path, dest: e.dest, message: e.message, errno: e.errno };
  }
}

/** Bytes as arrays, so a Node Buffer and a Uint8Array with the same bytes compare equal. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

export const utf8 = (text: string) => new TextEncoder().encode(text);
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
