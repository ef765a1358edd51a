/**
 * esbuild_options: how every bundle for QuickJS is made — the kernel, the linked apps
 * (bundle.ts) and an app image's app (app_image_build.ts) — so all three agree: one ESM
 * file, ES2023, `skiff:*` imports left for the runtime (the shim's or the kernel's modules).
 */
import type { BuildOptions } from "esbuild";

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
