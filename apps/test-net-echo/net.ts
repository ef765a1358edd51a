/** The first network device of the app scope, as test-net-echo uses it. */
export interface AppNet {
  readonly mac: string;
  /** Resolves with the frames (Ethernet, no virtio-net header) that have arrived; at least one. */
  receive(): Promise<readonly Uint8Array[]>;
  /** Queues the frames for transmission, in order; resolves once all are queued. */
  send(frames: readonly Uint8Array[]): Promise<void>;
}

export function openNet(scope: unknown): AppNet | undefined {
  void scope;
  throw new Error("test-net-echo: the kernel's device API (kernel-ts/dev) is not there yet");
}
