/**
 * protocol: the development channel's messages (hot reload, `skiff dev`), shared by the
 * kernel (service.ts) and the host (host/dev). The channel is a byte stream — virtio-console
 * on a Unix socket under qemu, an in-process pipe when hosted — carrying frames:
 *
 *   offset  size  field
 *   0       4     magic "SKDV"
 *   4       4     JSON length J (u32, little-endian)
 *   8       4     payload length P (u32, little-endian)
 *   12      J     one JSON object, UTF-8: the message
 *   12+J    P     the payload: bytes the message describes (an app's code)
 *
 * Messages:
 *   guest → host  { type: "hello", protocol, bootId, uptimeMs, engine, apps }
 *                 once the kernel's development service listens; apps are the names running.
 *   host → guest  { type: "reload", id, token, kind, app, engine, changed } + payload: the new
 *                 code of an app (kind "app") or of a kernel module (kind "kernel", app "http")
 *                 — native: QuickJS bytecode; hosted: the bundle's source.
 *   guest → host  { type: "result", id, ok, app, bootId, uptimeMs, loadMs, swapMs, error? }
 *                 error: the message and the stack (at the app's source positions when known).
 *
 * A frame whose magic is wrong, whose JSON does not parse, or that is longer than MAX_FRAME
 * ends the channel's session: the reader cannot find the next frame boundary in a stream.
 */

import type { EngineVersion } from "../image/metadata.ts";

export const PROTOCOL_VERSION = 1;
export const MAGIC = [0x53, 0x4b, 0x44, 0x56]; // "SKDV"
export const HEADER_BYTES = 12;
/** The largest frame either side accepts: 16 MiB of code and its JSON. */
export const MAX_FRAME = 16 * 1024 * 1024;

export interface Hello {
  readonly type: "hello";
  readonly protocol: number;
  readonly bootId: string;
  readonly uptimeMs: number;
  readonly engine: EngineVersion | null;
  readonly apps: readonly string[];
}

export interface Reload {
  readonly type: "reload";
  readonly id: number;
  readonly token: string;
  /** An app's code, or a kernel module's (code_slot.ts: "http"). */
  readonly kind: "app" | "kernel";
  /** The app's name, or the kernel module's. */
  readonly app: string;
  readonly engine: EngineVersion;
  /** The files whose change this reload carries, for the guest's log line. */
  readonly changed: readonly string[];
}

export interface ReloadResult {
  readonly type: "result";
  readonly id: number;
  readonly ok: boolean;
  readonly app: string;
  readonly bootId: string;
  readonly uptimeMs: number;
  /** Reading and evaluating the new code, then the dispose/start handover and the swap. */
  readonly loadMs: number;
  readonly swapMs: number;
  readonly error?: string;
}

export type Message = Hello | Reload | ReloadResult;

export interface Frame {
  readonly message: Message;
  readonly payload: Uint8Array;
}

/** The stream is not the development protocol (wrong magic, bad JSON, too long). */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
}

export function encodeFrame(message: Message, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(message));
  const frame = new Uint8Array(HEADER_BYTES + json.length + payload.length);
  frame.set(MAGIC, 0);
  const view = new DataView(frame.buffer);
  view.setUint32(4, json.length, true);
  view.setUint32(8, payload.length, true);
  frame.set(json, HEADER_BYTES);
  frame.set(payload, HEADER_BYTES + json.length);
  return frame;
}

/**
 * Gathers the bytes of a stream and cuts them into frames. Chunks are kept as they came and
 * joined once a frame is complete (a large frame arrives in many small reads).
 */
export class FrameReader {
  #chunks: Uint8Array[] = [];
  #length = 0;
  /** Bytes the frame at the front needs before it is worth joining: its header, then all of it. */
  #needed = HEADER_BYTES;

  /**
   * Adds received bytes; returns every frame they complete. Throws ProtocolError. The reader
   * keeps `bytes` until their frame is complete: the caller must not write into them (the
   * channel device and the host's transports hand over fresh arrays).
   */
  push(bytes: Uint8Array): Frame[] {
    if (bytes.length > 0) {
      this.#chunks.push(bytes);
      this.#length += bytes.length;
    }
    const frames: Frame[] = [];
    while (this.#length >= this.#needed) {
      const joined = this.#join();
      const total = frameLength(joined);
      if (joined.length < total) {
        this.#needed = total;
        break;
      }
      frames.push(decodeFrame(joined.subarray(0, total)));
      const rest = joined.slice(total);
      this.#chunks = rest.length > 0 ? [rest] : [];
      this.#length = rest.length;
      this.#needed = HEADER_BYTES;
    }
    return frames;
  }

  #join(): Uint8Array {
    if (this.#chunks.length === 1) return this.#chunks[0]!;
    const joined = new Uint8Array(this.#length);
    let at = 0;
    for (const chunk of this.#chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    this.#chunks = [joined];
    return joined;
  }
}

/** The whole length of the frame `bytes` starts with (its header must be there). */
function frameLength(bytes: Uint8Array): number {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new ProtocolError("Cannot read the development channel: a frame does not start with SKDV");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const total = HEADER_BYTES + view.getUint32(4, true) + view.getUint32(8, true);
  if (total > MAX_FRAME) throw new ProtocolError(`Cannot read the development channel: a frame of ${total} bytes is over the ${MAX_FRAME}-byte limit`);
  return total;
}

function decodeFrame(frame: Uint8Array): Frame {
  const jsonLength = new DataView(frame.buffer, frame.byteOffset, HEADER_BYTES).getUint32(4, true);
  let message: unknown;
  try {
    message = JSON.parse(new TextDecoder().decode(frame.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength)));
  } catch {
    throw new ProtocolError("Cannot read the development channel: a frame's JSON does not parse");
  }
  if (typeof message !== "object" || message === null || typeof (message as { type?: unknown }).type !== "string") {
    throw new ProtocolError("Cannot read the development channel: a frame's JSON is not a message");
  }
  return { message: message as Message, payload: frame.slice(HEADER_BYTES + jsonLength) };
}
