/** selftest/: what `selftest=NAME` on the command line runs instead of an app. */

export { runHalSelftest } from "./hal.ts";
export { runKernelThrowSelftest } from "./kernel_throw.ts";
