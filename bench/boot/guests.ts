/**
 * The two guests the benchmark boots with the same qemu and the same flags: Skiff's image
 * running hello, and the Linux baseline (bench/linux-guest). A guest is what to boot and
 * which console line counts as "the app's first output".
 */
import { paths } from "../../host/launch/paths.ts";
import { skiffCmdline } from "../../host/launch/launch.ts";
import { prepareLinuxGuest } from "../linux-guest/mod.ts";

export interface Guest {
  readonly name: "skiff" | "linux";
  readonly kernel: string;
  readonly initrd?: string;
  readonly cmdline: string;
  /** Leave out the qemu profile's command-line words (debug_exit=… is Skiff's). */
  readonly bareCmdline: boolean;
  readonly helloLine: string;
  /** Per boot. */
  readonly timeoutMs: number;
  readonly describe: string;
}

export function skiffGuest(): Guest {
  return {
    name: "skiff",
    kernel: paths.image,
    cmdline: skiffCmdline("hello", ""),
    bareCmdline: false,
    helloLine: "Hello from Skiff!",
    timeoutMs: 30_000,
    describe: "build/skiff.elf, app=hello",
  };
}

export function linuxGuest(): Guest {
  const linux = prepareLinuxGuest();
  return {
    name: "linux",
    kernel: linux.kernel,
    initrd: linux.initrd,
    cmdline: linux.cmdline,
    bareCmdline: true,
    helloLine: linux.helloLine,
    timeoutMs: 120_000,
    describe: `${linux.kernelPackage} + ${linux.busyboxPackage} initramfs`,
  };
}
