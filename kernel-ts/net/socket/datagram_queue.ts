/**
 * datagram_queue: a FIFO bounded both in entries and in bytes, for the sockets' send and
 * receive queues. A push beyond either bound is refused (the caller counts it), so no
 * peer and no app can grow a socket's memory without limit.
 */

export class DatagramQueue<T extends { readonly bytes: Uint8Array }> {
  #items: T[] = [];
  #head = 0;
  #bytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Bytes of the queued datagrams' data. */
  get bytes(): number {
    return this.#bytes;
  }

  /** False (nothing queued) when either bound would be passed. */
  push(item: T): boolean {
    if (this.length >= this.maxEntries || this.#bytes + item.bytes.length > this.maxBytes) return false;
    this.#items.push(item);
    this.#bytes += item.bytes.length;
    return true;
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#items[this.#head] = undefined as unknown as T; // let it be collected
    this.#head++;
    this.#bytes -= item.bytes.length;
    if (this.#head > 32 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
    this.#bytes = 0;
  }
}
