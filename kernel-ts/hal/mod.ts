/**
 * hal/: the HAL, the kernel's only way to the machine (DESIGN.md, "The HAL"). platform.ts
 * is the contract; conformance.ts checks an implementation against it; fake.ts is the
 * deterministic implementation for tests.
 */

export { ExitCode, NotFound } from "./platform.ts";
export type { BootMark, MemoryStats, ModuleNamespace, Platform, ReadySet } from "./platform.ts";
export { halChecks } from "./conformance.ts";
export type { HalCheck } from "./conformance.ts";
