/**
 * Finds the apps under apps/: a folder with an app.json manifest ({ name, entry }).
 * A bad manifest is an error that names the file, never a silent skip.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface AppManifest {
  readonly name: string;
  readonly dir: string;
  readonly entryPath: string;
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

export function readManifest(dir: string): AppManifest {
  const file = join(dir, "app.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read app manifest ${file}: ${(error as Error).message}`);
  }
  const record = parsed as { name?: unknown; entry?: unknown };
  if (typeof record.name !== "string" || !NAME.test(record.name)) {
    throw new Error(`Cannot read app manifest ${file}: "name" must match ${NAME}`);
  }
  if (typeof record.entry !== "string" || record.entry === "") {
    throw new Error(`Cannot read app manifest ${file}: "entry" must name the entry module`);
  }
  const entryPath = join(dir, record.entry);
  if (!existsSync(entryPath)) {
    throw new Error(`Cannot read app manifest ${file}: entry ${entryPath} does not exist`);
  }
  return { name: record.name, dir, entryPath };
}

export function listApps(root = "apps"): AppManifest[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, "app.json")))
    .map((entry) => readManifest(join(root, entry.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
}
