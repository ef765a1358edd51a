/** `skiff build [app]`: checks the app exists, then `make build` (every app is linked in). */
import { checkAppExists } from "./apps.ts";
import { runMake } from "./make.ts";
import { UsageError } from "./usage.ts";

export function buildCommand(argv: readonly string[]): number {
  if (argv.length > 1) throw new UsageError(`Cannot build ${argv.join(" ")}: give at most one app`);
  const app = argv[0];
  if (app !== undefined) {
    if (app.startsWith("-")) throw new UsageError(`Cannot use ${app}: skiff build takes no options`);
    checkAppExists(app);
  }
  runMake("build");
  return 0;
}
