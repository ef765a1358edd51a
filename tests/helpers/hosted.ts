/**
 * Runs the kernel bundle inside quickjs-emscripten (host/hosted/quickjs_runner.ts) for a test
 * and returns its console lines and exit status. Uses build/js from `make bundles`; a missing
 * bundle fails the test with that command.
 */
import fs from "node:fs";
import { runHosted, type HostedResult } from "../../host/hosted/quickjs_runner.ts";
import { skiffCmdline } from "../../host/launch/launch.ts";
import { paths } from "../../host/launch/paths.ts";

export interface HostedRun extends HostedResult {
  readonly output: string;
  readonly text: readonly string[];
}

/** `bootImage`: an app image file the kernel's bootImage() returns (`skiff run --hosted` passes build/apps/APP.img). */
export async function runHostedApp(app: string, extraCmdline = "", timeoutMs = 60_000, bootImage?: string): Promise<HostedRun> {
  for (const file of [paths.kernelBundle, paths.appBundlesDir]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`make bundles\` before the hosted tests`);
  }
  const chunks: Uint8Array[] = [];
  const result = await runHosted({
    kernelBundle: paths.kernelBundle,
    appBundlesDir: paths.appBundlesDir,
    cmdline: skiffCmdline(app, extraCmdline),
    write: (bytes) => chunks.push(bytes),
    timeoutMs,
    ...(bootImage !== undefined ? { bootImage } : {}),
  });
  const output = Buffer.concat(chunks).toString("utf8");
  return { ...result, output, text: output.split("\n").map((line) => line.replace(/\r$/, "")) };
}
