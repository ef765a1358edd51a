/** The first byte channel (virtio-console) of the app scope, as test-channel uses it. */
export interface AppChannel {
  readonly name: string;
  /** Resolves with at least one received byte. */
  read(): Promise<Uint8Array>;
  /** Resolves once every byte is queued. */
  write(bytes: Uint8Array): Promise<void>;
}

export function openChannel(scope: unknown): AppChannel | undefined {
  void scope;
  throw new Error("test-channel: the kernel's device API (kernel-ts/dev) is not there yet");
}
