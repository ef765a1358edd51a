/**
 * esbuild_options: how every bundle for QuickJS is made — the kernel and the linked apps
 * (bundle.ts), and an app image's app (app_image_build.ts) — so they agree: one ESM file,
 * ES2023, `skiff:*` imports left for the runtime (the shim's or the kernel's modules).
 */
import type { BuildOptions, Plugin } from "esbuild";

const QUICKJS_TARGET = "es2023";

export const quickjsBundle: BuildOptions = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: QUICKJS_TARGET,
  external: ["skiff:*"],
  logLevel: "warning",
  legalComments: "none",
};

/**
 * An app's `node:fs/promises` (or `fs/promises`) is the kernel's `skiff:fs`. The kernel can
 * define only skiff:NAME modules, so the import becomes a one-line module in the bundle that
 * re-exports skiff:fs, which stays external: named, namespace, default and require() all work.
 */
const nodeFsPromises: Plugin = {
  name: "skiff-node-fs-promises",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(node:)?fs\/promises$/ }, () => ({ path: "node:fs/promises", namespace: "skiff-node" }));
    esbuild.onLoad({ filter: /.*/, namespace: "skiff-node" }, () => ({
      contents: 'import * as fs from "skiff:fs"; export * from "skiff:fs"; export default fs;',
    }));
  },
};

/** An app's bundle, linked into the ELF or packed into its image alike. */
export const appBundle: BuildOptions = { ...quickjsBundle, plugins: [nodeFsPromises] };
