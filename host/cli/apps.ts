/** The apps the build knows: folders under apps/ that hold an app.json, read by host/build/manifest.ts. */
import fs from "node:fs";
import path from "node:path";
import { readManifest, type AppSource } from "../build/manifest.ts";
import { paths } from "../launch/paths.ts";
import { UsageError } from "./usage.ts";

export function appNames(): string[] {
  return fs
    .readdirSync(paths.appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(paths.appsDir, entry.name, "app.json")))
    .map((entry) => entry.name)
    .sort();
}

export function checkAppExists(name: string): void {
  const known = appNames();
  if (!known.includes(name)) {
    throw new UsageError(`Cannot find app ${JSON.stringify(name)}: apps/ has ${known.join(", ")}`);
  }
}

/** App `name`'s manifest and files; a usage error when there is no such app, an error naming the file when its manifest is bad. */
export function appSource(name: string): AppSource {
  checkAppExists(name);
  return readManifest(path.join(paths.appsDir, name));
}
