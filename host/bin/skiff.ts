#!/usr/bin/env -S npx --no-install tsx
/**
 * skiff: the command line. `skiff build [app]`, `skiff run [app] [options]`, `skiff dev app [options]`;
 * see host/cli/usage.ts.
 */
import { buildCommand } from "../cli/build_command.ts";
import { devCommand } from "../cli/dev_command.ts";
import { runCommand } from "../cli/run_command.ts";
import { UsageError, UsageExit, usage } from "../cli/usage.ts";
import { LaunchError } from "../launch/launch.ts";
import { TapBridgeError } from "../tapbridge/tap_bridge.ts";

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "build":
      return await buildCommand(rest);
    case "run":
      return runCommand(rest);
    case "dev":
      return devCommand(rest);
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${usage}\n`);
      return 0;
    case undefined:
      throw new UsageError("Cannot run skiff without a command");
    default:
      throw new UsageError(`Cannot run skiff ${command}: unknown command`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`skiff: ${error.message}\n\n${usage}\n`);
    process.exitCode = UsageExit;
  } else if (error instanceof LaunchError || error instanceof TapBridgeError) {
    process.stderr.write(`skiff: ${error.message}\n`);
    process.exitCode = 125;
  } else {
    process.stderr.write(`skiff: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
