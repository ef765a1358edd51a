/**
 * Guest memory sizes as the CLI takes them ("64M", "16m", "1G", "65536K"), normalised to the
 * spelling both qemu (`-m 64M`) and cloud-hypervisor (`--memory size=64M`) accept.
 */
const SIZE = /^([1-9][0-9]*)([KMG])$/;

export interface MemorySize {
  /** e.g. "64M" */
  readonly text: string;
  readonly bytes: number;
}

const UNIT_BYTES = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as const;

export function parseMemorySize(input: string): MemorySize {
  const match = SIZE.exec(input.trim().toUpperCase());
  if (match === null) {
    throw new RangeError(`Cannot parse memory size ${JSON.stringify(input)}: expected a number and K, M or G, like 64M`);
  }
  const amount = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_BYTES;
  return { text: `${amount}${unit}`, bytes: amount * UNIT_BYTES[unit] };
}
