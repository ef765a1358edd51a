/** The first block device of the app scope, as test-blk uses it. */
export interface AppBlock {
  readonly name: string;
  /** 512-byte sectors. */
  readonly sectors: number;
  readonly readOnly: boolean;
  readonly flushSupported: boolean;
  read(sector: number, buffer: Uint8Array): Promise<void>;
  /** Rejects with an error that says so on a read-only disk. */
  write(sector: number, buffer: Uint8Array): Promise<void>;
  flush(): Promise<void>;
}

export function openBlock(scope: unknown): AppBlock | undefined {
  void scope;
  throw new Error("test-blk: the kernel's device API (kernel-ts/dev) is not there yet");
}
