/**
 * app_image_build: `skiff build APP` — the app's image, build/apps/APP.img:
 *
 *   1. type-check the app (typecheck_app.ts, the kernel's compiler options);
 *   2. bundle it with esbuild as `make build` bundles linked apps (esbuild_options.ts), into
 *      build/apps/.work/APP/apps/APP.js, with its source map (sources made relative to the
 *      project, no sourcesContent);
 *   3. compile that with the host qjsc exactly as bytecode.ts does (qjsc.ts), module name
 *      "apps/APP.js", so stack traces read the same as for a linked app;
 *   4. write the image (app_image.ts): metadata = the manifest as built and qjsc's QuickJS
 *      and bytecode versions; entries /app/APP.bc, /app/APP.js, /app/APP.js.map, /app/assets/… .
 *
 * Beside the image, build/apps/APP.inputs.json lists the files esbuild read, so that
 * staleReason() can tell `skiff run` when the image must be rebuilt.
 */
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { ASSETS_ROOT, bytecodePath, sourceMapPath, sourcePath } from "../../kernel-ts/image/format.ts";
import type { ImageMetadata } from "../../kernel-ts/image/metadata.ts";
import { writeAppImage, type ImageEntry } from "./app_image.ts";
import { appBundle } from "./esbuild_options.ts";
import type { AppSource } from "./manifest.ts";
import { compileToBytecode, qjscVersion } from "./qjsc.ts";
import { typecheckApp } from "./typecheck_app.ts";

export interface AppImageBuildOptions {
  readonly app: AppSource;
  /** The host qjsc (build/host/qjsc). */
  readonly qjsc: string;
  /** Where APP.img goes (build/apps). */
  readonly outDir: string;
  /** tsconfig.json, whose compiler options the app is checked with. */
  readonly tsconfig: string;
  /** A development image (`skiff dev`): metadata "development": true, no type-check (esbuild only, for speed). */
  readonly development?: boolean;
}

export interface AppImageBuilt {
  readonly path: string;
  readonly bytes: number;
  readonly entries: readonly string[];
}

export function imagePathOf(outDir: string, name: string): string {
  return path.join(outDir, `${name}.img`);
}

function inputsPathOf(outDir: string, name: string): string {
  return path.join(outDir, `${name}.inputs.json`);
}

/** Every file under `dir`, as paths relative to it with "/" separators, sorted. */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      const stat = fs.statSync(path.join(dir, child)); // follows symbolic links
      if (stat.isDirectory()) walk(child);
      else if (stat.isFile()) found.push(child);
      else throw new Error(`Cannot pack ${path.join(dir, child)}: not a file or folder`);
    }
  };
  walk("");
  return found.sort();
}

/**
 * esbuild's map at `mapFile`, its sources made relative to the project ("apps/NAME/main.ts")
 * rather than to the work folder, so frames read the same on any machine.
 */
function projectRelativeMap(mapFile: string): Uint8Array {
  const map = JSON.parse(fs.readFileSync(mapFile, "utf8")) as { sources: string[]; sourceRoot?: string };
  const dir = path.dirname(mapFile);
  map.sources = map.sources.map((source) => path.relative(process.cwd(), path.resolve(dir, map.sourceRoot ?? "", source)).split(path.sep).join("/"));
  delete map.sourceRoot;
  return new TextEncoder().encode(JSON.stringify(map));
}

export async function buildAppImage(options: AppImageBuildOptions): Promise<AppImageBuilt> {
  const { app, outDir } = options;
  if (options.development !== true) typecheckApp(app.entryPath, options.tsconfig);

  const workDir = path.join(outDir, ".work", app.name);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(workDir, "apps"), { recursive: true });
  const moduleName = `apps/${app.name}.js`;
  const bundled = await build({ ...appBundle, entryPoints: [app.entryPath], outfile: path.join(workDir, moduleName), metafile: true, sourcemap: "external", sourcesContent: false });
  const source = fs.readFileSync(path.join(workDir, moduleName));
  const sourceMap = projectRelativeMap(path.join(workDir, `${moduleName}.map`));
  const bytecode = compileToBytecode(options.qjsc, workDir, moduleName, workDir);

  const metadata: ImageMetadata = {
    format: 1,
    app: app.manifest,
    engine: { quickjs: qjscVersion(options.qjsc), bytecodeVersion: bytecode[0]! },
    ...(options.development === true ? { development: true as const } : {}),
  };
  const entries: ImageEntry[] = [
    { path: bytecodePath(app.name), data: bytecode },
    { path: sourcePath(app.name), data: new Uint8Array(source) },
    { path: sourceMapPath(app.name), data: sourceMap },
  ];
  const assets = app.assetsDir !== undefined ? filesUnder(app.assetsDir) : [];
  if (app.assetsDir !== undefined) {
    for (const file of assets) {
      entries.push({ path: `${ASSETS_ROOT}${file}`, data: new Uint8Array(fs.readFileSync(path.join(app.assetsDir, file))) });
    }
  }
  const image = writeAppImage(metadata, entries);

  fs.mkdirSync(outDir, { recursive: true });
  const imagePath = imagePathOf(outDir, app.name);
  fs.writeFileSync(`${imagePath}.tmp`, image);
  fs.renameSync(`${imagePath}.tmp`, imagePath); // a reader never sees half an image
  const inputs = Object.keys(bundled.metafile.inputs).map((input) => path.resolve(input));
  fs.writeFileSync(inputsPathOf(outDir, app.name), `${JSON.stringify({ inputs, assets }, null, 1)}\n`);
  return { path: imagePath, bytes: image.length, entries: entries.map((entry) => entry.path) };
}

function mtimeMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Why build/apps/APP.img must be rebuilt, or undefined when it is up to date: it is missing,
 * or older than the manifest, a source file esbuild read for it, a file in the assets folder
 * or the qjsc that compiles it, or the assets folder holds other files than it packed.
 */
export function staleReason(app: AppSource, outDir: string, qjsc: string): string | undefined {
  const imagePath = imagePathOf(outDir, app.name);
  const built = mtimeMs(imagePath);
  if (built === undefined) return `${imagePath} does not exist`;
  let recorded: { inputs?: unknown; assets?: unknown };
  try {
    recorded = JSON.parse(fs.readFileSync(inputsPathOf(outDir, app.name), "utf8")) as typeof recorded;
  } catch {
    return `${inputsPathOf(outDir, app.name)} (the list of its sources) is missing`;
  }
  if (!Array.isArray(recorded.inputs) || !Array.isArray(recorded.assets)) return `${inputsPathOf(outDir, app.name)} is not a list of sources`;
  const assets = app.assetsDir !== undefined ? filesUnder(app.assetsDir) : [];
  if (JSON.stringify(assets) !== JSON.stringify(recorded.assets)) return "its assets folder holds other files than the image";
  const watched = [app.manifestPath, qjsc, ...(recorded.inputs as string[]), ...assets.map((file) => path.join(app.assetsDir!, file))];
  for (const file of watched) {
    const changed = mtimeMs(file);
    if (changed === undefined) return `${file} is gone`;
    if (changed > built) return `${file} changed`;
  }
  return undefined;
}
