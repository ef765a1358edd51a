/**
 * The host's end of a `-netdev dgram` wire: each UDP datagram between two 127.0.0.1 ports
 * is one Ethernet frame (no FCS, no virtio-net header). The wire binds an ephemeral port for
 * itself and picks a free one for qemu, so tests can run side by side; `device` is what
 * the launcher attaches (host/launch/devices.ts).
 *
 * echoFrames is the test's side of apps/test-net-echo: it keeps a window of frames in flight
 * and checks that every frame comes back byte for byte, none lost, none reordered. Frames are
 * made from a seed (makeFrames) so a failure can be replayed from the seed it prints.
 */
import dgram from "node:dgram";
import type { VmDevice } from "../../host/launch/devices.ts";

/** IEEE 802 "local experimental" EtherTypes: test traffic, and the frame that stops the echo app. */
export const ETHERTYPE_TEST = 0x88b5;
export const ETHERTYPE_STOP = 0x88b6;
export const MIN_FRAME = 60;
export const MAX_FRAME = 1514;
const HOST_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01] as const;
const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff] as const;

/** A small seeded generator (mulberry32): the same seed gives the same frames on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function ethernetFrame(length: number, etherType: number, fillPayload: (payload: Buffer) => void): Buffer {
  const frame = Buffer.alloc(length);
  frame.set(BROADCAST, 0);
  frame.set(HOST_MAC, 6);
  frame.writeUInt16BE(etherType, 12);
  fillPayload(frame.subarray(14));
  return frame;
}

/**
 * `count` test frames: sizes uniform in [minSize, maxSize] (or exactly `size`), EtherType
 * ETHERTYPE_TEST, payload = sequence number (u32 BE) then seeded random bytes.
 */
export function makeFrames(seed: number, count: number, sizes: { readonly min: number; readonly max: number }): Buffer[] {
  const random = seededRandom(seed);
  const frames: Buffer[] = [];
  for (let seq = 0; seq < count; seq++) {
    const length = sizes.min + Math.floor(random() * (sizes.max - sizes.min + 1));
    frames.push(
      ethernetFrame(length, ETHERTYPE_TEST, (payload) => {
        payload.writeUInt32BE(seq, 0);
        for (let i = 4; i < payload.length; i++) payload[i] = Math.floor(random() * 256);
      }),
    );
  }
  return frames;
}

export function stopFrame(): Buffer {
  return ethernetFrame(MIN_FRAME, ETHERTYPE_STOP, (payload) => payload.write("stop", "ascii"));
}

/** A port nobody is bound to right now (bound then released: qemu binds it next). */
async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", resolve);
  });
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

export class DgramWire {
  /** Frames that arrived and were not yet taken by `next`. */
  readonly #queue: Buffer[] = [];
  #waiter: ((frame: Buffer) => void) | undefined;
  #closed = false;

  private constructor(
    readonly socket: dgram.Socket,
    /** Our port: qemu's remote.port. */
    readonly hostPort: number,
    /** qemu's local.port: where we send. */
    readonly vmPort: number,
  ) {
    socket.on("message", (frame) => {
      const waiter = this.#waiter;
      if (waiter !== undefined) {
        this.#waiter = undefined;
        waiter(frame);
      } else {
        this.#queue.push(frame);
      }
    });
  }

  static async open(): Promise<DgramWire> {
    const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, "127.0.0.1", resolve);
    });
    return new DgramWire(socket, socket.address().port, await freeUdpPort());
  }

  /** The launcher's device for the VM's end of this wire. */
  get device(): Extract<VmDevice, { backend: "dgram" }> {
    return { kind: "net", backend: "dgram", localPort: this.vmPort, remotePort: this.hostPort };
  }

  send(frame: Uint8Array): void {
    this.socket.send(frame, this.vmPort, "127.0.0.1");
  }

  /** The next frame from the VM, or undefined after `timeoutMs`. */
  next(timeoutMs: number): Promise<Buffer | undefined> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.#waiter = (frame) => {
        clearTimeout(timer);
        resolve(frame);
      };
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.socket.close();
  }
}

export interface EchoOutcome {
  /** Frames that came back identical, in order. */
  readonly echoed: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  /** Undefined on success; else what went wrong first, with the frame's index. */
  readonly failure?: string;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return length;
}

/**
 * Sends `frames` with at most `window` unanswered at a time and checks each reply against
 * the oldest frame in flight. Stops at the first loss (nothing for `stallMs`), mismatch or
 * reordering, or when `deadlineMs` has passed.
 */
export async function echoFrames(wire: DgramWire, frames: readonly Buffer[], options: { window: number; stallMs: number; deadlineMs: number }): Promise<EchoOutcome> {
  const started = performance.now();
  let sent = 0;
  let echoed = 0;
  let bytes = 0;
  const result = (failure?: string): EchoOutcome => ({ echoed, bytes, elapsedMs: performance.now() - started, ...(failure !== undefined ? { failure } : {}) });
  while (echoed < frames.length) {
    while (sent < frames.length && sent - echoed < options.window) wire.send(frames[sent++]!);
    const remaining = options.deadlineMs - (performance.now() - started);
    if (remaining <= 0) return result(`deadline of ${options.deadlineMs} ms passed with ${echoed}/${frames.length} frames echoed`);
    const reply = await wire.next(Math.min(options.stallMs, remaining));
    const expected = frames[echoed]!;
    if (reply === undefined) {
      return result(`frame ${echoed} (${expected.length} bytes) never came back: nothing arrived for ${options.stallMs} ms with ${sent - echoed} in flight`);
    }
    if (!reply.equals(expected)) {
      const seq = reply.length >= 18 ? reply.readUInt32BE(14) : -1;
      const at = firstDifference(reply, expected);
      return result(`frame ${echoed} came back different: expected ${expected.length} bytes, got ${reply.length} bytes (sequence number ${seq}), first difference at byte ${at}`);
    }
    echoed += 1;
    bytes += reply.length;
  }
  return result();
}
