/**
 * The first byte channel (virtio-console) of the app scope, as test-channel uses it: the
 * device is found in `scope.devices.all` (kind "console"), its driver is
 * `scope.devices.channel` (read() resolving with at least one byte, write(bytes) resolving
 * once all are queued). Described structurally: apps see the app API, not kernel modules.
 */
export interface AppChannel {
  readonly name: string;
  /** Resolves with at least one received byte. */
  read(): Promise<Uint8Array>;
  /** Resolves once every byte is queued. */
  write(bytes: Uint8Array): Promise<void | number>;
}

interface ScopeDevices {
  readonly all?: readonly { readonly kind: string; readonly name: string }[];
  readonly channel?: AppChannel;
}

/** undefined: no channel device; a string: the device is there but nothing drives it (why). */
export function openChannel(scope: unknown): AppChannel | string | undefined {
  const devices = (scope as { devices?: ScopeDevices }).devices;
  const info = devices?.all?.find((device) => device.kind === "console");
  if (info === undefined) return undefined;
  return devices?.channel ?? `${info.name} is listed but the kernel has no driver for it (no scope.devices.channel)`;
}
