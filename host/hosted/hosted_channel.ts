/**
 * hosted_channel: the byte channel device (virtio-console's stand-in) of a hosted kernel —
 * two byte rings in shared memory (byte_ring.ts) to another thread of this process: what
 * `skiff dev --hosted` uses as its development channel, the kernel running in a worker.
 * Both rings notify one events cell; the kernel's wait sleeps on it (hosted_devices.ts).
 */
import { Again } from "../../kernel-ts/hal/platform.ts";
import { ByteRing, type ByteRingShared } from "./byte_ring.ts";

export interface HostedChannelOptions {
  /** Bytes for the kernel (the host writes them). */
  readonly toKernel: ByteRingShared;
  /** Bytes from the kernel (the host reads them). Its events cell MUST be toKernel's. */
  readonly fromKernel: ByteRingShared;
}

/** The largest chunk one channelRead returns. */
const READ_CHUNK = 64 * 1024;

export class HostedChannel {
  readonly #in: ByteRing;
  readonly #out: ByteRing;
  readonly #events: Int32Array;
  #seen: number;

  constructor(options: HostedChannelOptions) {
    if (options.toKernel.events !== options.fromKernel.events) throw new TypeError("Cannot make a hosted channel: its two rings must share one events cell");
    this.#in = new ByteRing(options.toKernel);
    this.#out = new ByteRing(options.fromKernel);
    this.#events = new Int32Array(options.toKernel.events);
    this.#seen = Atomics.load(this.#events, 0);
  }

  read(): Uint8Array | typeof Again {
    const bytes = this.#in.read(READ_CHUNK);
    return bytes.length === 0 ? Again : bytes;
  }

  write(bytes: Uint8Array): number | typeof Again {
    if (bytes.length === 0) return 0;
    const taken = this.#out.write(bytes);
    return taken === 0 ? Again : taken;
  }

  /** Whether either ring moved since the last call (the ReadySet bit's edge). */
  takeNews(): boolean {
    const now = Atomics.load(this.#events, 0);
    if (now === this.#seen) return false;
    this.#seen = now;
    return true;
  }

  /** Sleeps until the other thread moves a ring, or `ms`. */
  sleep(ms: number): void {
    Atomics.wait(this.#events, 0, this.#seen, Math.max(ms, 0.01));
  }
}
