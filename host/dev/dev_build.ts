/**
 * dev_build: `skiff dev`'s rebuilds of one app or reloadable kernel module — esbuild incremental (a context kept across
 * rebuilds, so only what changed is parsed again), then qjsc to bytecode exactly as
 * `skiff build` compiles an image's app (module "apps/NAME.js"). No type-check here: that is
 * `skiff build`'s job, and it would cost seconds per save.
 *
 * Each rebuild gives the code to push (native: bytecode; hosted: the bundle's source), the
 * bundle's source map with sources relative to the project (to print a rejected reload's
 * stack at source positions), the files esbuild read (what to watch) and how long it took.
 */
import { context, type BuildContext } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import type { BuildOptions } from "esbuild";
import { appBundle, quickjsBundle } from "../build/esbuild_options.ts";
import type { AppSource } from "../build/manifest.ts";
import { compileToBytecode } from "../build/qjsc.ts";
import { SourceMap } from "../../kernel-ts/loader/source_map.ts";
import { paths } from "../launch/paths.ts";

export interface DevBuild {
  /** What the guest evaluates: bytecode for a VM, the bundle's source when hosted. */
  readonly code: Uint8Array;
  readonly map: SourceMap;
  /** Every file the bundle was made from, absolute. */
  readonly inputs: readonly string[];
  readonly ms: number;
}

/** What to bundle: an entry, the module name qjsc gives it, esbuild's options. */
export interface DevTarget {
  readonly entry: string;
  /** "apps/NAME.js" or "kernel/NAME.js": what stack traces show. */
  readonly moduleName: string;
  readonly options: BuildOptions;
}

/** An app: its entry as `skiff build` bundles it. */
export function appTarget(app: AppSource): DevTarget {
  return { entry: app.entryPath, moduleName: `apps/${app.name}.js`, options: appBundle };
}

/**
 * A reloadable kernel module (kernel-ts/DIR/module.ts), bundled as the kernel is. Its npm
 * dependencies (the app API's web-streams-polyfill) come from the project's node_modules even
 * when `root` is a copy of the kernel elsewhere (SKIFF_DEV_KERNEL_ROOT: the tests, bench/reload).
 */
export function kernelModuleTarget(root: string, name: string, dir: string): DevTarget {
  const options: BuildOptions = { ...quickjsBundle, nodePaths: [path.join(paths.repoRoot, "node_modules")] };
  return { entry: path.join(root, "kernel-ts", dir, "module.ts"), moduleName: `kernel/${name}.js`, options };
}

export class DevBuilder {
  readonly #target: DevTarget;
  readonly #workDir: string;
  readonly #qjsc: string | undefined;
  #context: BuildContext<{ metafile: true; write: true }> | undefined;

  /** `qjsc` undefined: hosted, the code is the bundle's source. */
  constructor(target: DevTarget, workDir: string, qjsc: string | undefined) {
    this.#target = target;
    this.#workDir = workDir;
    this.#qjsc = qjsc;
  }

  get moduleName(): string {
    return this.#target.moduleName;
  }

  async build(): Promise<DevBuild> {
    const started = performance.now();
    const outfile = path.join(this.#workDir, this.moduleName);
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    this.#context ??= await context({
      ...this.#target.options, entryPoints: [this.#target.entry], outfile, metafile: true, write: true,
      sourcemap: "external", sourcesContent: false, logLevel: "silent",
    });
    const result = await this.#context.rebuild();
    const code = this.#qjsc === undefined
      ? new Uint8Array(fs.readFileSync(outfile))
      : compileToBytecode(this.#qjsc, this.#workDir, this.moduleName, this.#workDir);
    const rawMap = JSON.parse(fs.readFileSync(`${outfile}.map`, "utf8")) as { sources: string[] };
    rawMap.sources = rawMap.sources.map((source) => path.relative(process.cwd(), path.resolve(path.dirname(outfile), source)).split(path.sep).join("/"));
    return {
      code,
      map: SourceMap.parse(JSON.stringify(rawMap)),
      inputs: Object.keys(result.metafile.inputs).map((input) => path.resolve(input)),
      ms: performance.now() - started,
    };
  }

  async dispose(): Promise<void> {
    await this.#context?.dispose();
  }
}
