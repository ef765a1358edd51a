/**
 * The first disk of the app scope (`scope.devices.block`, kernel-ts/dev BlockDevice), as
 * test-blk uses it. Described structurally: apps see the app API, not kernel modules.
 */
export interface AppBlock {
  readonly name: string;
  /** 512-byte sectors. */
  readonly sectors: number;
  readonly readOnly: boolean;
  readonly info: { readonly flush: boolean };
  read(sector: number, length: number): Promise<Uint8Array>;
  /** Rejects with an error that says so on a read-only disk. */
  write(sector: number, bytes: Uint8Array): Promise<void>;
  flush(): Promise<void>;
}

export function openBlock(scope: unknown): AppBlock | undefined {
  return (scope as { devices?: { block?: AppBlock } }).devices?.block;
}
