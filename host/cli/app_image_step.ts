/**
 * app_image_step: the app image `skiff build APP` writes and `skiff run APP` boots
 * (build/apps/APP.img, host/build/app_image_build.ts), built when asked or when stale.
 * Progress goes to stderr: stdout is the guest's console.
 */
import fs from "node:fs";
import path from "node:path";
import { buildAppImage, imagePathOf, staleReason, type AppImageBuilt } from "../build/app_image_build.ts";
import { paths } from "../launch/paths.ts";
import { appSource } from "./apps.ts";
import { runMake } from "./make.ts";

function ensureQjsc(): void {
  if (!fs.existsSync(paths.qjsc)) runMake(path.relative(paths.repoRoot, paths.qjsc));
}

/** Builds APP's image now. */
export async function buildImage(name: string): Promise<AppImageBuilt> {
  const app = appSource(name);
  ensureQjsc();
  return buildAppImage({ app, qjsc: paths.qjsc, outDir: paths.appImagesDir, tsconfig: paths.tsconfig });
}

/**
 * The path of APP's image, rebuilt first when `rebuild` and it is stale. Without `rebuild`
 * (--no-build) the image must already exist.
 */
export async function freshImage(name: string, rebuild: boolean): Promise<string> {
  const image = imagePathOf(paths.appImagesDir, name);
  if (!rebuild) {
    if (!fs.existsSync(image)) throw new Error(`Cannot boot ${name} from its image: ${image} does not exist (run \`skiff build ${name}\`, drop --no-build, or use --linked)`);
    return image;
  }
  const app = appSource(name);
  ensureQjsc();
  const reason = staleReason(app, paths.appImagesDir, paths.qjsc);
  if (reason !== undefined) {
    process.stderr.write(`skiff: building ${path.relative(process.cwd(), image)} (${reason})\n`);
    await buildAppImage({ app, qjsc: paths.qjsc, outDir: paths.appImagesDir, tsconfig: paths.tsconfig });
  }
  return image;
}
