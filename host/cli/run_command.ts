/**
 * `skiff run`: boots one app in a VM (or hosted) with its console on this terminal and exits
 * with the app's status. The VM is killed if this process is interrupted.
 */
import fs from "node:fs";
import path from "node:path";
import { runHosted } from "../hosted/quickjs_runner.ts";
import { launch, skiffCmdline } from "../launch/launch.ts";
import { paths } from "../launch/paths.ts";
import { checkAppExists } from "./apps.ts";
import { runMake } from "./make.ts";
import { parseRunArgs } from "./run_args.ts";
import { LaunchFailedExit } from "./usage.ts";

const LOOPBACK = "127.0.0.1";

export async function runCommand(argv: readonly string[]): Promise<number> {
  const options = parseRunArgs(argv);
  checkAppExists(options.app);
  const cmdline = skiffCmdline(options.app, options.cmdline);

  if (options.hosted) {
    if (options.build) runMake("bundles");
    if (!fs.existsSync(paths.kernelBundle)) {
      process.stderr.write(`skiff: ${paths.kernelBundle} is missing (run \`make bundles\`)\n`);
      return LaunchFailedExit;
    }
    const net = options.devices.find((device) => device.kind === "net" && device.backend === "dgram");
    const disk = options.devices.find((device) => device.kind === "disk");
    const result = await runHosted({
      kernelBundle: paths.kernelBundle,
      appBundlesDir: paths.appBundlesDir,
      cmdline,
      ...(Number.isFinite(options.timeoutMs) ? { timeoutMs: options.timeoutMs } : {}),
      // The same flags as for a VM: UDP datagrams on 127.0.0.1, a file disk.
      ...(net?.kind === "net" && net.backend === "dgram" ? { net: { local: { address: LOOPBACK, port: net.localPort }, remote: { address: LOOPBACK, port: net.remotePort } } } : {}),
      ...(disk ? { disk: { path: disk.file, readOnly: disk.readOnly } } : {}),
    });
    return result.status;
  }

  if (options.build) runMake("build");
  const vm = launch({
    vmm: options.vmm,
    machine: options.machine,
    accel: options.accel,
    memory: options.memory,
    cmdline,
    devices: options.devices,
    ...(options.netns !== undefined ? { netns: options.netns } : {}),
    timeoutMs: options.timeoutMs,
    onOutput: (chunk) => process.stdout.write(chunk),
    onStderr: (chunk) => process.stderr.write(chunk),
  });
  const stop = (): void => vm.process.kill();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const result = await vm.result;
  if (result.guest.ok) return result.guest.code;
  process.stderr.write(`skiff: ${result.guest.reason} running ${path.basename(result.program)} ${result.args.join(" ")}\n`);
  return LaunchFailedExit;
}
