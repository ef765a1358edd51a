/**
 * request_parser: the memcached text protocol's framing (protocol.txt), incremental over
 * the bytes of one connection. Feed it whatever each read returned — half a line, a data
 * block in a thousand pieces, fifty pipelined commands — with push(), then take requests
 * with next() until it returns undefined (it needs more bytes).
 *
 * Framing, as memcached 1.6 does it (proto_text.c):
 * - A command line ends at "\n"; one "\r" before it is dropped; the line ends at a NUL
 *   byte (memcached tokenizes a C string); words are separated by spaces only.
 * - A storage line (set/add/replace/append/prepend <key> <flags> <exptime> <bytes>
 *   [noreply], cas … <cas unique> [noreply]) is followed by <bytes> bytes and "\r\n". If
 *   the line is refused (wrong word count → "ERROR"; key over 250 bytes, a bad number or
 *   a negative length → "CLIENT_ERROR bad command line format") no data block is read:
 *   the client's block is taken as the next command line, as memcached does.
 * - An item too large (item.ts) is answered "SERVER_ERROR object too large for cache" and
 *   its data block is discarded as it arrives, never buffered.
 * - A block not followed by "\r\n" is consumed all the same (<bytes> + 2 bytes) and
 *   reported as a bad chunk.
 * - Without a line end within MAX_LINE_BYTES (2048) the connection is closed, unless the
 *   line is a multi-get ("get "/"gets " after at most 100 spaces), which may run to
 *   MAX_GET_LINE_BYTES. memcached lets a multi-get grow without bound; the bound here
 *   keeps one client from taking the machine's memory.
 */
import { ByteQueue } from "./byte_queue.ts";
import { parseUnsigned64, wordSigned32, wordUnsigned32 } from "./c_numbers.ts";
import { ITEM_SIZE_MAX, KEY_MAX_LENGTH, memcachedSize } from "./item.ts";
import { decodeLatin1, encodeLatin1 } from "./latin1.ts";
import { STORAGE_COMMANDS, type Request, type StorageCommand, type StoreRequest } from "./request.ts";

/** memcached's limit on an unfinished command line (proto_text.c, try_read_command_ascii). */
export const MAX_LINE_BYTES = 2048;
/** The limit on an unfinished multi-get line (memcached has none). */
export const MAX_GET_LINE_BYTES = 1024 * 1024;
/** memcached lets at most this many spaces lead a long multi-get. */
const MAX_LEADING_SPACES = 100;
const INT32_MAX = 0x7fffffff;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

const BAD_FORMAT = "CLIENT_ERROR bad command line format";
const TOO_LARGE = "SERVER_ERROR object too large for cache";

/** A storage line's fields, waiting for its data block. */
type DataBlockHeader = Omit<StoreRequest, "type" | "data" | "badChunk">;

type State =
  | { readonly kind: "line" }
  | { readonly kind: "data"; readonly header: DataBlockHeader; readonly length: number }
  | { readonly kind: "swallow"; remaining: number }
  | { readonly kind: "closed" };

const LINE: State = { kind: "line" };

export class RequestParser {
  readonly #queue = new ByteQueue();
  #state: State = LINE;
  /** Bytes of the queue already searched for a line end. */
  #scanned = 0;

  /** Bytes received and not yet parsed. */
  get buffered(): number {
    return this.#queue.length;
  }

  push(bytes: Uint8Array): void {
    if (this.#state.kind !== "closed") this.#queue.push(bytes);
  }

  /** The next complete request, or undefined until more bytes arrive. After a "close" request, always undefined. */
  next(): Request | undefined {
    for (;;) {
      const state = this.#state;
      switch (state.kind) {
        case "closed":
          return undefined;
        case "swallow": {
          const n = Math.min(state.remaining, this.#queue.length);
          this.#queue.skip(n);
          state.remaining -= n;
          if (state.remaining > 0) return undefined;
          this.#state = LINE;
          continue;
        }
        case "data": {
          if (this.#queue.length < state.length + 2) return undefined;
          const data = this.#queue.take(state.length);
          const badChunk = this.#queue.byteAt(0) !== CR || this.#queue.byteAt(1) !== LF;
          this.#queue.skip(2);
          this.#state = LINE;
          const { command, key, flags, exptime, casUnique, noreply } = state.header; // named, not spread: a spread copies through the generic path
          return { type: "store", command, key, flags, exptime, casUnique, noreply, data, badChunk };
        }
        case "line": {
          const end = this.#queue.indexOf(LF, this.#scanned);
          if (end < 0) {
            this.#scanned = this.#queue.length;
            if (this.#queue.length > MAX_LINE_BYTES && !this.#mayGrow()) {
              this.#state = { kind: "closed" };
              return { type: "close", reason: `no line end within ${this.#queue.length} bytes` };
            }
            return undefined;
          }
          this.#scanned = 0;
          const words = splitWords(this.#queue.takeView(end + 1)); // decoded at once: a view, not a copy
          const command = words[0];
          if (command === undefined || !STORAGE_COMMANDS.has(command)) return { type: "command", words };
          const refused = this.#storageLine(command as StorageCommand, words);
          if (refused !== undefined) return refused;
          continue; // the data block follows
        }
      }
    }
  }

  /** Whether an unfinished long line may keep growing: only a multi-get, up to its own limit. */
  #mayGrow(): boolean {
    if (this.#queue.length > MAX_GET_LINE_BYTES) return false;
    let at = 0;
    while (at < this.#queue.length && this.#queue.byteAt(at) === SPACE) at++;
    if (at > MAX_LEADING_SPACES) return false;
    const start = decodeLatin1(Uint8Array.from({ length: Math.min(5, this.#queue.length - at) }, (_, i) => this.#queue.byteAt(at + i)));
    return start.startsWith("get ") || start.startsWith("gets ");
  }

  /** Checks a storage line: enters the data state, or returns the refusal (memcached's process_update_command). */
  #storageLine(command: StorageCommand, words: readonly string[]): Request | undefined {
    const handlesCas = command === "cas";
    const minWords = handlesCas ? 6 : 5;
    if (words.length < minWords || words.length > minWords + 1) return { type: "refused", reply: "ERROR", noreply: false };
    const noreply = words[words.length - 1] === "noreply";
    const key = words[1]!;
    if (key.length > KEY_MAX_LENGTH) return { type: "refused", reply: BAD_FORMAT, noreply };
    const flags = wordUnsigned32(words[2]!);
    const exptime = wordSigned32(words[3]!);
    const length = wordSigned32(words[4]!);
    if (flags === undefined || exptime === undefined || length === undefined) return { type: "refused", reply: BAD_FORMAT, noreply };
    const casUnique = handlesCas ? parseUnsigned64(encodeLatin1(words[5]!)) : undefined;
    if (handlesCas && casUnique === undefined) return { type: "refused", reply: BAD_FORMAT, noreply };
    if (length < 0 || length > INT32_MAX - 2) return { type: "refused", reply: BAD_FORMAT, noreply };
    if (memcachedSize(key.length, flags, length) > ITEM_SIZE_MAX) {
      this.#state = { kind: "swallow", remaining: length + 2 };
      return { type: "refused", reply: TOO_LARGE, noreply, tooLarge: { command, key } };
    }
    this.#state = { kind: "data", header: { command, key, flags, exptime, casUnique, noreply }, length };
    return undefined;
  }
}

/** A command line's words: without its "\n" and one "\r" before it, up to any NUL, split on spaces. */
function splitWords(line: Uint8Array): string[] {
  let end = line.length - 1; // the "\n"
  if (end > 0 && line[end - 1] === CR) end--;
  const nul = line.indexOf(0); // on the whole line, not a view of it: a NUL past `end` changes nothing
  if (nul >= 0 && nul < end) end = nul;
  const words = decodeLatin1(line.subarray(0, end)).split(" ");
  // Clients send one space between words: filter (a call per word) only when there is an empty one.
  for (let i = 0; i < words.length; i++) if (words[i] === "") return words.filter((word) => word !== "");
  return words;
}
