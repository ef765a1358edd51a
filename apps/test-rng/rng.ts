/**
 * The rng device of the app scope, as test-rng uses it. The device is found in
 * `scope.devices.all` (kind "rng"); its bytes come from the kernel's rng driver
 * (`scope.devices.rng.read(n)`) when there is one, else from `crypto.getRandomValues`, which
 * the HAL's randomFill serves from the virtio-rng pool. Described structurally: apps see the
 * app API, not kernel modules.
 */
export interface AppRng {
  readonly name: string;
  /** Where the bytes come from, for the log line. */
  readonly source: string;
  read(count: number): Promise<Uint8Array>;
}

interface ScopeDevices {
  readonly all?: readonly { readonly kind: string; readonly name: string }[];
  readonly rng?: { read(count: number): Promise<Uint8Array> | Uint8Array };
}

/** undefined: no rng device; a string: the device is there but nothing reads it (why). */
export function openRng(scope: unknown): AppRng | string | undefined {
  const devices = (scope as { devices?: ScopeDevices }).devices;
  const info = devices?.all?.find((device) => device.kind === "rng");
  if (info === undefined) return undefined;
  const driver = devices?.rng;
  if (driver !== undefined) return { name: info.name, source: "scope.devices.rng", read: async (count) => driver.read(count) };
  const crypto = (globalThis as { crypto?: { getRandomValues(bytes: Uint8Array): Uint8Array } }).crypto;
  if (crypto !== undefined) {
    return {
      name: info.name,
      source: "crypto.getRandomValues",
      read: async (count) => {
        const bytes = new Uint8Array(count);
        for (let at = 0; at < count; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(count, at + 65536)));
        return bytes;
      },
    };
  }
  return `${info.name} is listed but the app API has no way to read it (no scope.devices.rng, no crypto.getRandomValues)`;
}
