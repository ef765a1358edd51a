/**
 * Bundles the kernel and every linked app with esbuild, for QuickJS.
 *
 *   build/js/kernel.js       kernel-ts/entry.ts; `skiff:hal` stays an import, which the
 *                            shim (or the hosted runner) provides as a native module; calls
 *                            of a few one-expression helpers written out (inline.ts)
 *   build/js/apps/NAME.js    apps/NAME/<entry from app.json>, one ESM bundle each, for every
 *                            app whose manifest does not say "linked": false (those run only
 *                            from their image: `skiff build NAME`)
 *
 * Usage: tsx host/build/bundle.ts --out build/js
 */
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { linkedApps } from "./apps.ts";
import { appBundle, quickjsBundle } from "./esbuild_options.ts";
import { inlineHelpers } from "./inline.ts";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const out = option("--out", "build/js");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "apps"), { recursive: true });

const kernelFile = join(out, "kernel.js");
await build({ ...quickjsBundle, entryPoints: ["kernel-ts/entry.ts"], outfile: kernelFile });
writeFileSync(kernelFile, inlineHelpers(readFileSync(kernelFile, "utf8")).code); // one-expression helpers written out (inline.ts)
for (const app of linkedApps()) {
  await build({ ...appBundle, entryPoints: [app.entryPath], outfile: join(out, "apps", `${app.name}.js`) });
}
