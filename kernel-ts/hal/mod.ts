/**
 * hal/: the HAL, the kernel's only way to the machine (DESIGN.md, "The HAL"). platform.ts
 * is the contract; conformance.ts checks an implementation against it; fake.ts is the
 * deterministic implementation for tests.
 */

export { Again, DeadlinePassed, ExitCode, NET_HEADER_BYTES, NetGsoType, NetHeaderFlag, NotFound, ReadOnly } from "./platform.ts";
export type {
  BlockCompletion, BlockInfo, BlockStatus, BootMark, DeviceInfo, DeviceKind, MemoryStats, ModuleNamespace,
  NetInfo, NetOffloads, NetStats, Platform, ReadySet,
} from "./platform.ts";
export { internetChecksum } from "./checksum.ts";
export { halfSipHash24 } from "./halfsiphash.ts";
export { halChecks } from "./conformance.ts";
export type { HalCheck } from "./conformance.ts";
