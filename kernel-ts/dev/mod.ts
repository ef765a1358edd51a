/**
 * dev/: the kernel's device drivers over the HAL (DESIGN.md: hal ← dev ← net/fs ← sched).
 * NetDevice (frame queues), BlockDevice (promise I/O), ChannelDevice (a byte channel to
 * the host), RngDevice (raw entropy), the Devices registry that main.ts builds at boot,
 * and the virtio-net header helpers.
 */

export { Devices } from "./devices.ts";
export type { DevicesOptions } from "./devices.ts";
export { NetDevice } from "./net_device.ts";
export type { NetDeviceOptions, NetDeviceStats } from "./net_device.ts";
export { BlockDevice, SECTOR_BYTES } from "./block_device.ts";
export { ChannelDevice } from "./channel_device.ts";
export { RngDevice } from "./rng_device.ts";
export { BlockIoError, BlockRangeError, BlockReadOnlyError } from "./block_errors.ts";
export { isReady } from "./device_loop.ts";
export type { DeviceLoop } from "./device_loop.ts";
export { EMPTY_NET_HEADER, emitNetHeader, frameOf, NET_HEADER_BYTES, NetGsoType, NetHeaderFlag, parseNetHeader, withNetHeader } from "./net_header.ts";
export type { NetHeader } from "./net_header.ts";
