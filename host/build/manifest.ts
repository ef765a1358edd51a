/**
 * manifest: reads an app's manifest, apps/NAME/app.json — the one reader the build uses
 * (apps.ts lists apps with it; bundle.ts, bytecode.ts and `skiff build` take what it returns).
 * The rules for each key live in kernel-ts/image/manifest.ts, shared with the kernel, which
 * checks the manifest an image carries; this adds what only the host can check: the JSON
 * parses, the name is the folder's, the entry module and the assets folder exist.
 * Every error names the file and every problem found in it.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { checkManifest, ManifestError, type AppManifest } from "../../kernel-ts/image/manifest.ts";

export type { AppManifest };

/** A manifest and where its files are on this host. */
export interface AppSource {
  readonly manifest: AppManifest;
  readonly name: string;
  /** The app's folder. */
  readonly dir: string;
  readonly manifestPath: string;
  readonly entryPath: string;
  /** The assets folder, when the manifest names one. */
  readonly assetsDir?: string;
}

export class ManifestReadError extends Error {
  override readonly name = "ManifestReadError";
}

export function readManifest(dir: string): AppSource {
  const file = join(dir, "app.json");
  const fail = (why: string): never => {
    throw new ManifestReadError(`Cannot read app manifest ${file}: ${why}`);
  };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return fail((error as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : (error as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON: ${(error as Error).message}`);
  }
  let manifest: AppManifest;
  try {
    manifest = checkManifest(parsed);
  } catch (error) {
    if (error instanceof ManifestError) return fail(error.message);
    throw error;
  }
  const folder = basename(resolve(dir));
  if (manifest.name !== folder) fail(`"name" is ${JSON.stringify(manifest.name)} but the app's folder is ${JSON.stringify(folder)}: they must be the same`);
  const entryPath = join(dir, manifest.entry);
  if (!existsSync(entryPath) || !statSync(entryPath).isFile()) fail(`"entry" ${JSON.stringify(manifest.entry)}: ${entryPath} does not exist`);
  let assetsDir: string | undefined;
  if (manifest.assets !== undefined) {
    assetsDir = join(dir, manifest.assets);
    if (!existsSync(assetsDir) || !statSync(assetsDir).isDirectory()) fail(`"assets" ${JSON.stringify(manifest.assets)}: ${assetsDir} is not a folder`);
  }
  return {
    manifest,
    name: manifest.name,
    dir,
    manifestPath: file,
    entryPath,
    ...(assetsDir !== undefined ? { assetsDir } : {}),
  };
}
