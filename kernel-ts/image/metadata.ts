/**
 * metadata: the JSON block of an app image (format.ts) — which app it is and which engine
 * its bytecode was compiled for:
 *
 *   { "format": 1,
 *     "app": { "name": "hello", "entry": "main.ts", "ports": [], "env": {}, "cpuBudgetMs": 100, "linked": true },
 *     "engine": { "quickjs": "2025-04-26", "bytecodeVersion": 4 } }
 *
 * `app` is the manifest as built (manifest.ts, defaults filled in). `engine.quickjs` is the
 * QuickJS release of the host qjsc that compiled the bytecode; `engine.bytecodeVersion` is the
 * byte every QuickJS bytecode blob starts with (BC_VERSION). QuickJS reads bytecode without
 * verifying it, so the native loader (shim/js/hal_image.c) compares both with its own engine
 * and refuses a mismatch, naming both versions; engineMismatch says the same in TypeScript.
 *
 * `"development": true` marks an image `skiff dev` built: only then does the kernel open the
 * development channel that hot reload rides on (kernel-ts/reload). `skiff build` never sets
 * it; without it the key is absent.
 */

import { FORMAT_VERSION } from "./format.ts";
import { checkManifest, ManifestError, type AppManifest } from "./manifest.ts";

export interface EngineVersion {
  /** A QuickJS release, e.g. "2025-04-26". */
  readonly quickjs: string;
  /** QuickJS's BC_VERSION: the first byte of its bytecode. */
  readonly bytecodeVersion: number;
}

export interface ImageMetadata {
  readonly format: number;
  readonly app: AppManifest;
  readonly engine: EngineVersion;
  /** A development image (`skiff dev`): the kernel opens the development channel. */
  readonly development?: true;
}

/** Checks parsed metadata; returns it, or a sentence saying what is wrong. */
export function checkMetadata(value: unknown): ImageMetadata | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "the metadata is not a JSON object";
  const record = value as Record<string, unknown>;
  if (record.format !== FORMAT_VERSION) return `the metadata's format is ${JSON.stringify(record.format)}, not ${FORMAT_VERSION}`;
  const engine = record.engine as Record<string, unknown> | undefined;
  if (typeof engine !== "object" || engine === null || typeof engine.quickjs !== "string" || engine.quickjs === "" ||
      typeof engine.bytecodeVersion !== "number" || !Number.isInteger(engine.bytecodeVersion) || engine.bytecodeVersion < 0 || engine.bytecodeVersion > 255) {
    return `the metadata's engine must be { quickjs: string, bytecodeVersion: 0–255 }`;
  }
  if (record.development !== undefined && record.development !== true) return "the metadata's development must be true or absent";
  let app: AppManifest;
  try {
    app = checkManifest(record.app);
  } catch (error) {
    if (error instanceof ManifestError) return `the metadata's app manifest is invalid: ${error.message}`;
    throw error;
  }
  const engineVersion = { quickjs: engine.quickjs, bytecodeVersion: engine.bytecodeVersion };
  return record.development === true ? { format: FORMAT_VERSION, app, engine: engineVersion, development: true } : { format: FORMAT_VERSION, app, engine: engineVersion };
}

/** undefined when `image` was built for `engine`, else the sentence that refuses it (both versions named). */
export function engineMismatch(image: EngineVersion, engine: EngineVersion): string | undefined {
  if (image.quickjs === engine.quickjs && image.bytecodeVersion === engine.bytecodeVersion) return undefined;
  return `the image was built for QuickJS ${image.quickjs} (bytecode version ${image.bytecodeVersion}), ` +
    `this kernel runs QuickJS ${engine.quickjs} (bytecode version ${engine.bytecodeVersion}): rebuild it with \`skiff build\``;
}
