/**
 * A ByteStream (apps/kv/session.ts) in memory for the kv tests: the test hands it the
 * client's bytes in whatever pieces it likes, waits until the server has done all it can
 * with them (idle()), and reads back every byte the server wrote and whether it closed.
 */
import type { ByteStream } from "../../../../apps/kv/session.ts";

export class MemoryStream implements ByteStream {
  readonly #incoming: Uint8Array[] = [];
  readonly #written: Uint8Array[] = [];
  #ended = false;
  #wake: (() => void) | undefined;
  #idleWaiters: Array<() => void> = [];
  /** How the server closed its side, if it did. */
  closed: "no" | "close" | "abort" = "no";

  /** `room`: how many bytes writeSome takes a call (as a connection's send buffer would), the rest going through write(). */
  constructor(readonly room = Infinity) {}

  /** The client sends `bytes` (one read's worth). */
  send(bytes: Uint8Array): void {
    this.#incoming.push(bytes);
    this.#wakeReader();
  }

  /** The client closes its side: the server's next read returns null. */
  end(): void {
    this.#ended = true;
    this.#wakeReader();
  }

  /** Resolves once the server waits for bytes that have not been sent, or has closed. */
  idle(): Promise<void> {
    if (this.closed !== "no" || (this.#wake !== undefined && this.#incoming.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Everything the server wrote so far, as one latin1 string. */
  output(): string {
    return Buffer.concat(this.#written).toString("latin1");
  }

  async read(): Promise<Uint8Array | null> {
    while (this.#incoming.length === 0 && !this.#ended) {
      const woken = new Promise<void>((resolve) => { this.#wake = resolve; });
      this.#settleIdle();
      await woken;
    }
    return this.#incoming.shift() ?? null;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed !== "no") throw new Error("Cannot write: the stream is closed");
    this.#written.push(bytes.slice());
  }

  writeSome(bytes: Uint8Array): number {
    if (this.closed !== "no") return 0;
    const taken = Math.min(this.room, bytes.length);
    if (taken > 0) this.#written.push(bytes.slice(0, taken));
    return taken;
  }

  close(): void {
    this.closed = "close";
    this.#settleIdle();
  }

  abort(): void {
    this.closed = "abort";
    this.#settleIdle();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #settleIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
