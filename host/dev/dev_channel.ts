/**
 * dev_channel: the host's end of the development channel (kernel-ts/reload/protocol.ts) over a
 * Unix socket — the one qemu listens on for the VM's virtio-console port. connect() retries
 * while the VMM is still making the socket; hello() resolves with the guest's first message;
 * reload() sends new code and resolves with the guest's result for it.
 */
import net from "node:net";
import { encodeFrame, FrameReader, type Hello, type Message, type ReloadResult } from "../../kernel-ts/reload/protocol.ts";
import type { EngineVersion } from "../../kernel-ts/image/metadata.ts";

export class DevChannel {
  readonly #socket: net.Socket;
  readonly #reader = new FrameReader();
  /** Reloads sent and not answered yet, by id. */
  readonly #waiting = new Map<number, { resolve: (result: ReloadResult) => void; reject: (error: Error) => void }>();
  #hello: Promise<Hello>;
  #onHello: (hello: Hello) => void = () => {};
  #nextId = 1;
  #closed: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    this.#hello = new Promise((resolve) => { this.#onHello = resolve; });
    socket.on("data", (bytes) => {
      try {
        for (const frame of this.#reader.push(new Uint8Array(bytes))) this.#receive(frame.message);
      } catch (error) {
        this.#fail(error as Error);
      }
    });
    socket.on("close", () => this.#fail(new Error("the development channel closed (the VM stopped?)")));
    socket.on("error", (error) => this.#fail(error));
  }

  /** Connects to `socketPath`, retrying for up to `timeoutMs` while the VMM creates it. */
  static async connect(socketPath: string, timeoutMs = 20_000): Promise<DevChannel> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const attempt = net.createConnection(socketPath, () => resolve(attempt));
          attempt.once("error", reject);
        });
        return new DevChannel(socket);
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`Cannot connect to the development channel ${socketPath}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  /** The guest's hello (its boot id, engine and running apps). */
  hello(): Promise<Hello> {
    return this.#hello;
  }

  reload(token: string, kind: "app" | "kernel", app: string, engine: EngineVersion, changed: readonly string[], code: Uint8Array): Promise<ReloadResult> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const result = new Promise<ReloadResult>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    this.#socket.write(encodeFrame({ type: "reload", id, token, kind, app, engine, changed }, code));
    return result;
  }

  close(): void {
    this.#socket.destroy();
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
