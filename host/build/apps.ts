/**
 * Finds the apps under apps/: each folder with an app.json manifest, read by manifest.ts.
 * A bad manifest is an error that names the file, never a silent skip.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readManifest, type AppSource } from "./manifest.ts";

export type { AppSource };

/** Every app, by name. */
export function listApps(root = "apps"): AppSource[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, "app.json")))
    .map((entry) => readManifest(join(root, entry.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The apps `make build` links into the kernel ELF: all but those whose manifest says "linked": false. */
export function linkedApps(root = "apps"): AppSource[] {
  return listApps(root).filter((app) => app.manifest.linked);
}
