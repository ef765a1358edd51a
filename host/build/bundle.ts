/**
 * Bundles the kernel and every app with esbuild, for QuickJS.
 *
 *   build/js/kernel.js       kernel-ts/entry.ts; `skiff:hal` stays an import, which the
 *                            shim (or the hosted runner) provides as a native module
 *   build/js/apps/NAME.js    apps/NAME/<entry from app.json>, one ESM bundle each
 *
 * Usage: tsx host/build/bundle.ts --out build/js
 */
import { build, type BuildOptions, type Plugin } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { listApps } from "./apps.ts";

const QUICKJS_TARGET = "es2023";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

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

const out = option("--out", "build/js");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "apps"), { recursive: true });

const common: BuildOptions = {
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: QUICKJS_TARGET,
  external: ["skiff:*"],
  logLevel: "warning",
  legalComments: "none",
};

await build({ ...common, entryPoints: ["kernel-ts/entry.ts"], outfile: join(out, "kernel.js") });
for (const app of listApps()) {
  await build({ ...common, plugins: [nodeFsPromises], entryPoints: [app.entryPath], outfile: join(out, "apps", `${app.name}.js`) });
}
