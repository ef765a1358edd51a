/**
 * The app image a benchmark boots: `skiff build APP` run in `tree` (this repository, or a
 * worktree whose kernel is measured), which rebuilds build/apps/APP.img when it is stale.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { paths } from "../host/launch/paths.ts";

const tsxLoader = pathToFileURL(path.join(paths.repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** Builds `app`'s image with `tree`'s skiff (run by this repository's tsx); returns the image's path. */
export function buildAppImage(app: string, tree: string = paths.repoRoot): string {
  execFileSync(process.execPath, ["--import", tsxLoader, path.join(tree, "host", "bin", "skiff.ts"), "build", app], { cwd: tree, stdio: ["ignore", "ignore", "inherit"] });
  return path.join(tree, "build", "apps", `${app}.img`);
}
