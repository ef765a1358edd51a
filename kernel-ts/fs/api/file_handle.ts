/**
 * file_handle: what open() resolves to, Node's FileHandle: read and write with or without
 * a position, readFile/writeFile/appendFile from the handle's position, stat, truncate,
 * sync and close. After close() every call rejects with FileClosed (EBADF, "file
 * closed") and `fd` is -1, as in Node; a second close() does nothing.
 *
 * Bytes come back as Uint8Array (Node's Buffer is one too); when a call allocates the
 * buffer itself (read() with no buffer) it is 16 KiB, as Node's is.
 */

import { FileClosed } from "../errors.ts";
import type { Vfs } from "../vfs.ts";
import { bufferArgument, dataArgument, encodingArgument, fileOptions, integerArgument, positionArgument } from "./arguments.ts";
import { decodeUtf8 } from "../../console/utf8.ts";
import { Stats } from "./stats.ts";
import { readToEnd, writeAll } from "./whole_file.ts";

const DEFAULT_READ_BUFFER = 16384;

export interface ReadOptions<T extends ArrayBufferView = Uint8Array> {
  readonly buffer?: T;
  readonly offset?: number;
  readonly length?: number;
  readonly position?: number | bigint | null;
}

export interface ReadResult<T> {
  readonly bytesRead: number;
  readonly buffer: T;
}

export interface WriteResult<T> {
  readonly bytesWritten: number;
  readonly buffer: T;
}

export class FileHandle {
  readonly #vfs: Vfs;
  #fd: number;
  readonly #path: string;

  constructor(vfs: Vfs, fd: number, path: string) {
    this.#vfs = vfs;
    this.#fd = fd;
    this.#path = path;
  }

  /** The descriptor number; -1 once closed. */
  get fd(): number {
    return this.#fd;
  }

  /**
   * read(buffer, offset?, length?, position?), read(buffer, { offset, length, position })
   * or read({ buffer, offset, length, position }); a null or negative position reads at
   * the handle's position and moves it.
   */
  async read<T extends ArrayBufferView>(buffer: T, offset?: number | null, length?: number | null, position?: number | bigint | null): Promise<ReadResult<T>>;
  async read<T extends ArrayBufferView>(buffer: T, options?: Omit<ReadOptions, "buffer">): Promise<ReadResult<T>>;
  async read<T extends ArrayBufferView = Uint8Array>(options?: ReadOptions<T>): Promise<ReadResult<T>>;
  async read<T extends ArrayBufferView>(
    bufferOrOptions?: T | ReadOptions<T>, offsetOrOptions?: number | null | Omit<ReadOptions, "buffer">, length?: number | null, position?: number | bigint | null,
  ): Promise<ReadResult<T>> {
    const fd = this.#open("read");
    let options: ReadOptions<T>;
    if (bufferOrOptions !== undefined && ArrayBuffer.isView(bufferOrOptions)) {
      options = typeof offsetOrOptions === "object" && offsetOrOptions !== null
        ? { ...offsetOrOptions, buffer: bufferOrOptions }
        : { buffer: bufferOrOptions, ...(typeof offsetOrOptions === "number" ? { offset: offsetOrOptions } : {}), ...(typeof length === "number" ? { length } : {}), position: position ?? null };
    } else {
      options = (bufferOrOptions ?? {}) as ReadOptions<T>;
    }
    const buffer = options.buffer ?? (new Uint8Array(DEFAULT_READ_BUFFER) as unknown as T);
    const bytes = bufferArgument(buffer);
    const offset = integerArgument(options.offset ?? 0, "offset", 0, bytes.length);
    const count = integerArgument(options.length ?? bytes.length - offset, "length", 0, bytes.length - offset);
    const bytesRead = this.#vfs.read(fd, bytes.subarray(offset, offset + count), positionArgument(options.position));
    return { bytesRead, buffer };
  }

  /**
   * write(buffer, offset?, length?, position?), write(buffer, { offset, length, position })
   * or write(string, position?, encoding?); in append mode every write goes to the end.
   */
  async write<T extends ArrayBufferView | string>(
    data: T, offsetOrPosition?: number | null | { offset?: number; length?: number; position?: number | null }, lengthOrEncoding?: number | string, position?: number | null,
  ): Promise<WriteResult<T>> {
    const fd = this.#open("write");
    if (typeof data === "string") {
      encodingArgument(lengthOrEncoding ?? "utf8");
      const bytes = dataArgument(data);
      const bytesWritten = this.#vfs.write(fd, bytes, positionArgument(offsetOrPosition));
      return { bytesWritten, buffer: data };
    }
    const bytes = bufferArgument(data, "data");
    const options = typeof offsetOrPosition === "object" && offsetOrPosition !== null
      ? offsetOrPosition
      : { offset: offsetOrPosition ?? 0, length: typeof lengthOrEncoding === "number" ? lengthOrEncoding : undefined, position };
    const offset = integerArgument(options.offset ?? 0, "offset", 0, bytes.length);
    const count = integerArgument(options.length ?? bytes.length - offset, "length", 0, bytes.length - offset);
    const bytesWritten = this.#vfs.write(fd, bytes.subarray(offset, offset + count), positionArgument(options.position));
    return { bytesWritten, buffer: data };
  }

  /** The rest of the file from the handle's position: text with encoding "utf8", else bytes. */
  async readFile(options?: { encoding?: string | null } | string | null): Promise<string | Uint8Array> {
    const fd = this.#open("read");
    const text = encodingArgument(fileOptions(options).encoding);
    const bytes = readToEnd(this.#vfs, fd, this.#path);
    return text ? decodeUtf8(bytes) : bytes;
  }

  /** Writes `data` from the handle's position (the end, in append mode). */
  async writeFile(data: string | ArrayBufferView, options?: { encoding?: string | null } | string | null): Promise<void> {
    const fd = this.#open("write");
    encodingArgument(fileOptions(options).encoding);
    writeAll(this.#vfs, fd, dataArgument(data));
  }

  async appendFile(data: string | ArrayBufferView, options?: { encoding?: string | null } | string | null): Promise<void> {
    return this.writeFile(data, options);
  }

  async stat(): Promise<Stats> {
    return new Stats(this.#vfs.fstat(this.#open("fstat")));
  }

  /** Cuts or zero-extends the file to `length` bytes (a negative length means 0, as in Node). */
  async truncate(length = 0): Promise<void> {
    const fd = this.#open("ftruncate");
    this.#vfs.ftruncate(fd, Math.max(0, integerArgument(length, "length", -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)));
  }

  /** The file systems hold memory only: once a write returned, it is as durable as it gets. */
  async sync(): Promise<void> {
    this.#open("fsync");
  }

  async datasync(): Promise<void> {
    this.#open("fdatasync");
  }

  async close(): Promise<void> {
    if (this.#fd === -1) return;
    const fd = this.#fd;
    this.#fd = -1;
    this.#vfs.close(fd);
  }

  #open(syscall: string): number {
    if (this.#fd === -1) throw new FileClosed(syscall);
    return this.#fd;
  }
}
