/**
 * `skiff run`: boots one app in a VM (or hosted) with its console on this terminal and exits
 * with the app's status. The app comes from its image (build/apps/APP.img, rebuilt when
 * stale; app_image_step.ts) — the VM's PVH module 0, the hosted runner's bootImage — or,
 * with --linked, from the apps linked into the kernel. The VM is killed if this process is interrupted. A hosted kernel on
 * a tap gets a tapbridge process (host/tapbridge/), stopped when the kernel powers off and
 * dying with this process otherwise.
 */
import fs from "node:fs";
import path from "node:path";
import { runHosted } from "../hosted/quickjs_runner.ts";
import { launch, skiffCmdline } from "../launch/launch.ts";
import { paths } from "../launch/paths.ts";
import { startTapBridge } from "../tapbridge/tap_bridge.ts";
import { freshImage } from "./app_image_step.ts";
import { appSource } from "./apps.ts";
import { runMake } from "./make.ts";
import { parseRunArgs } from "./run_args.ts";
import { LaunchFailedExit, UsageError } from "./usage.ts";

const LOOPBACK = "127.0.0.1";

export async function runCommand(argv: readonly string[]): Promise<number> {
  const options = parseRunArgs(argv);
  const app = appSource(options.app);
  if (options.linked && !app.manifest.linked) {
    throw new UsageError(`Cannot run ${options.app} --linked: its manifest says "linked": false, so it runs only from its image`);
  }
  const cmdline = skiffCmdline(options.app, options.cmdline);

  if (options.hosted) {
    if (options.build) runMake("bundles");
    if (!fs.existsSync(paths.kernelBundle)) {
      process.stderr.write(`skiff: ${paths.kernelBundle} is missing (run \`make bundles\`)\n`);
      return LaunchFailedExit;
    }
    const bootImage = options.linked ? undefined : await freshImage(options.app, options.build);
    const net = options.devices.find((device) => device.kind === "net");
    const disk = options.devices.find((device) => device.kind === "disk");
    // A tap is reached through tapbridge (host/tapbridge/): the hosted NIC talks UDP to it.
    if (net?.kind === "net" && net.backend === "tap" && options.build) runMake("tapbridge");
    const bridge = net?.kind === "net" && net.backend === "tap"
      ? await startTapBridge({ ifname: net.ifname, ...(options.netns !== undefined ? { netns: options.netns } : {}) })
      : undefined;
    try {
      const result = await runHosted({
        kernelBundle: paths.kernelBundle,
        appBundlesDir: paths.appBundlesDir,
        cmdline,
        ...(bootImage !== undefined ? { bootImage } : {}),
        ...(Number.isFinite(options.timeoutMs) ? { timeoutMs: options.timeoutMs } : {}),
        // The same flags as for a VM: UDP datagrams on 127.0.0.1 or a tap, a file disk.
        ...(bridge !== undefined ? { net: bridge.net } : {}),
        ...(net?.kind === "net" && net.backend === "dgram" ? { net: { local: { address: LOOPBACK, port: net.localPort }, remote: { address: LOOPBACK, port: net.remotePort } } } : {}),
        ...(disk ? { disk: { path: disk.file, readOnly: disk.readOnly } } : {}),
      });
      return result.status;
    } finally {
      await bridge?.stop();
    }
  }

  if (options.build) runMake("build");
  const initrd = options.linked ? undefined : await freshImage(options.app, options.build);
  // The user-mode network's forwards are what a user on this machine connects to.
  for (const device of options.devices) {
    if (device.kind === "net" && device.backend === "user") {
      process.stdout.write(`skiff: http://${LOOPBACK}:${device.hostPort}/ on this machine reaches the guest's port ${device.guestPort}\n`);
    }
  }
  const vm = launch({
    vmm: options.vmm,
    machine: options.machine,
    accel: options.accel,
    memory: options.memory,
    cmdline,
    ...(initrd !== undefined ? { initrd } : {}),
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
