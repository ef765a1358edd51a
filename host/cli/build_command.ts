/**
 * `skiff build`: the kernel ELF with every linked app (make build).
 * `skiff build APP`: APP's image, build/apps/APP.img (type-checked, bundled, compiled by the
 * host qjsc, packed with its assets: host/build/app_image_build.ts); prints its path and size.
 */
import path from "node:path";
import { buildImage } from "./app_image_step.ts";
import { checkAppExists } from "./apps.ts";
import { runMake } from "./make.ts";
import { UsageError } from "./usage.ts";

export async function buildCommand(argv: readonly string[]): Promise<number> {
  if (argv.length > 1) throw new UsageError(`Cannot build ${argv.join(" ")}: give at most one app`);
  const app = argv[0];
  if (app === undefined) {
    runMake("build");
    return 0;
  }
  if (app.startsWith("-")) throw new UsageError(`Cannot use ${app}: skiff build takes no options`);
  checkAppExists(app);
  const built = await buildImage(app);
  process.stdout.write(`skiff: ${path.relative(process.cwd(), built.path)} is ${built.bytes} bytes (${built.entries.join(", ")})\n`);
  return 0;
}
