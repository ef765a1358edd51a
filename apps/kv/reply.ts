/**
 * reply: the bytes a batch of commands answers, gathered as parts. A value goes out as the
 * stored array itself, never copied here; values are immutable once stored (incr/decr
 * store a new array), so a reply queued before a later command changes the key still
 * sends what was read.
 */
import { encodeLatin1 } from "./latin1.ts";

const CRLF = Uint8Array.of(0x0d, 0x0a);

export class Reply {
  #parts: Uint8Array[] = [];
  #byteLength = 0;

  get byteLength(): number {
    return this.#byteLength;
  }

  /** A text line ("STORED", "VALUE k 0 1"…) and its "\r\n"; text is latin1. */
  line(text: string): void {
    this.#push(encodeLatin1(`${text}\r\n`));
  }

  /** A status line, unless the command said noreply (memcached then sends nothing, errors included). */
  status(text: string, noreply: boolean): void {
    if (!noreply) this.line(text);
  }

  /** A data block and its "\r\n". */
  data(bytes: Uint8Array): void {
    this.#push(bytes);
    this.#push(CRLF);
  }

  /** The parts gathered so far, in order; the reply is empty afterwards. */
  take(): Uint8Array[] {
    const parts = this.#parts;
    this.#parts = [];
    this.#byteLength = 0;
    return parts;
  }

  #push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#parts.push(bytes);
    this.#byteLength += bytes.length;
  }
}
