/**
 * dev_build: `skiff dev`'s rebuilds of one app — esbuild incremental (a context kept across
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
import { appBundle } from "../build/esbuild_options.ts";
import type { AppSource } from "../build/manifest.ts";
import { compileToBytecode } from "../build/qjsc.ts";
import { SourceMap } from "../../kernel-ts/loader/source_map.ts";

export interface DevBuild {
  /** What the guest evaluates: bytecode for a VM, the bundle's source when hosted. */
  readonly code: Uint8Array;
  readonly map: SourceMap;
  /** Every file the bundle was made from, absolute. */
  readonly inputs: readonly string[];
  readonly ms: number;
}

export class DevBuilder {
  readonly #app: AppSource;
  readonly #workDir: string;
  readonly #qjsc: string | undefined;
  #context: BuildContext<{ metafile: true; write: true }> | undefined;

  /** `qjsc` undefined: hosted, the code is the bundle's source. */
  constructor(app: AppSource, workDir: string, qjsc: string | undefined) {
    this.#app = app;
    this.#workDir = workDir;
    this.#qjsc = qjsc;
  }

  get moduleName(): string {
    return `apps/${this.#app.name}.js`;
  }

  async build(): Promise<DevBuild> {
    const started = performance.now();
    fs.mkdirSync(path.join(this.#workDir, "apps"), { recursive: true });
    const outfile = path.join(this.#workDir, this.moduleName);
    this.#context ??= await context({
      ...appBundle, entryPoints: [this.#app.entryPath], outfile, metafile: true, write: true,
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
