/**
 * dev_channel: the host's end of the development channel (kernel-ts/reload/protocol.ts), on
 * one of two transports: a Unix socket — the one qemu listens on for the VM's virtio-console
 * port (connect() retries while the VMM is still making it) — or a pair of byte rings in
 * shared memory to a hosted kernel running in a worker thread of this process (overRings).
 * hello() resolves with the guest's first message; reload() sends new code and resolves with
 * the guest's result for it.
 */
import net from "node:net";
import { encodeFrame, FrameReader, type Hello, type Message, type ReloadResult } from "../../kernel-ts/reload/protocol.ts";
import type { EngineVersion } from "../../kernel-ts/image/metadata.ts";
import { ByteRing, type ByteRingShared } from "../hosted/byte_ring.ts";
import { connectWhenReady } from "../launch/unix_socket.ts";

/** Atomics.waitAsync (Node 16+; ES2024, beyond the lib the host code is typed with). */
const waitAsync = (Atomics as unknown as {
  waitAsync(cell: Int32Array, index: number, value: number, timeoutMs: number): { value: Promise<string> | string };
}).waitAsync;

/** How long a reload waits for the guest's result (TCG's slowest loads take seconds, not a minute). */
const RESULT_TIMEOUT_MS = 60_000;

/** A byte stream to the guest. */
interface Transport {
  write(bytes: Uint8Array): void;
  close(): void;
}

/** The bytes of a hosted kernel's channel: to it, and from it (sharing one events cell). */
export interface RingPair {
  readonly toKernel: ByteRingShared;
  readonly fromKernel: ByteRingShared;
}

export class DevChannel {
  readonly #transport: Transport;
  readonly #reader = new FrameReader();
  /** Reloads sent and not answered yet, by id. */
  readonly #waiting = new Map<number, { resolve: (result: ReloadResult) => void; reject: (error: Error) => void }>();
  #hello: Promise<Hello>;
  #onHello: (hello: Hello) => void = () => {};
  #nextId = 1;
  #closed: Error | undefined;

  /** `open` makes the transport, given where its bytes and its end go. */
  private constructor(open: (onData: (bytes: Uint8Array) => void, onEnd: (error: Error) => void) => Transport) {
    this.#hello = new Promise((resolve) => { this.#onHello = resolve; });
    this.#transport = open((bytes) => {
      try {
        for (const frame of this.#reader.push(bytes)) this.#receive(frame.message);
      } catch (error) {
        this.#fail(error as Error);
      }
    }, (error) => this.#fail(error));
  }

  /** Connects to `socketPath`, retrying for up to `timeoutMs` while the VMM creates it. */
  static async connect(socketPath: string, timeoutMs = 20_000): Promise<DevChannel> {
    let socket: net.Socket;
    try {
      socket = await connectWhenReady(socketPath, timeoutMs, 50);
    } catch (error) {
      throw new Error(`Cannot connect to the development channel ${socketPath}: ${(error as Error).message}`);
    }
    return new DevChannel((onData, onEnd) => {
      socket.on("data", (bytes) => onData(new Uint8Array(bytes)));
      socket.on("close", () => onEnd(new Error("the development channel closed (the VM stopped?)")));
      socket.on("error", onEnd);
      return { write: (bytes) => socket.write(bytes), close: () => socket.destroy() };
    });
  }

  /** The channel of a hosted kernel in a worker thread: `rings` are the ones its device has. */
  static overRings(rings: RingPair): DevChannel {
    return new DevChannel((onData) => {
      const toKernel = new ByteRing(rings.toKernel);
      const fromKernel = new ByteRing(rings.fromKernel);
      const events = new Int32Array(rings.toKernel.events);
      const queued: Uint8Array[] = [];
      let open = true;
      const pump = (): void => {
        while (queued.length > 0) {
          const head = queued[0]!;
          const taken = toKernel.write(head);
          if (taken < head.length) { queued[0] = head.subarray(taken); break; }
          queued.shift();
        }
        for (let bytes = fromKernel.read(); bytes.length > 0; bytes = fromKernel.read()) onData(bytes);
      };
      // Every move of either ring bumps the events cell: wake, move what can move, sleep again.
      const watch = async (): Promise<void> => {
        while (open) {
          const seen = Atomics.load(events, 0);
          pump();
          await waitAsync(events, 0, seen, 1000).value;
        }
      };
      void watch();
      return { write: (bytes) => { queued.push(bytes); pump(); }, close: () => { open = false; } };
    });
  }

  /** The guest's hello (its boot id, engine and running apps). */
  hello(): Promise<Hello> {
    return this.#hello;
  }

  reload(token: string, kind: "app" | "kernel", app: string, engine: EngineVersion, changed: readonly string[], code: Uint8Array): Promise<ReloadResult> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const result = new Promise<ReloadResult>((resolve, reject) => {
      // A guest whose end of the channel stopped would never answer: do not wait forever.
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`the guest did not answer within ${RESULT_TIMEOUT_MS / 1000} s (its development channel may have stopped: see the console)`));
      }, RESULT_TIMEOUT_MS);
      this.#waiting.set(id, { resolve: (answer) => { clearTimeout(timer); resolve(answer); }, reject: (error) => { clearTimeout(timer); reject(error); } });
    });
    this.#transport.write(encodeFrame({ type: "reload", id, token, kind, app, engine, changed }, code));
    return result;
  }

  close(): void {
    this.#transport.close();
    this.#fail(new Error("the development channel was closed"));
  }

  #receive(message: Message): void {
    if (message.type === "hello") this.#onHello(message);
    else if (message.type === "result") {
      const waiting = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      waiting?.resolve(message);
    }
  }

  #fail(error: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}
