/** The rng device of the app scope, as test-rng uses it. */
export interface AppRng {
  readonly name: string;
  read(count: number): Promise<Uint8Array>;
}

export function openRng(scope: unknown): AppRng | undefined {
  void scope;
  throw new Error("test-rng: the kernel's device API (kernel-ts/dev) is not there yet");
}
