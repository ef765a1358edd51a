/**
 * byte_queue: the bytes a connection has received and not yet parsed, kept as the chunks
 * they arrived in. Appending never copies, so a 1 MiB value arriving in a thousand reads
 * costs one copy when it is taken out, not a thousand.
 *
 * Invariant: `length` is the sum of the chunks' lengths less `#head`, the bytes of the
 * first chunk already taken; no chunk is empty.
 */
export class ByteQueue {
  #chunks: Uint8Array[] = [];
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  /** The byte at `index` (0 ≤ index < length). */
  byteAt(index: number): number {
    if (index < 0 || index >= this.#length) throw new RangeError(`Cannot read byte ${index} of a queue of ${this.#length}`);
    let at = index + this.#head;
    const chunks = this.#chunks;
    const first = chunks[0]!;
    if (at < first.length) return first[at]!; // nearly always: the byte is in the first chunk
    at -= first.length;
    for (let i = 1; i < chunks.length; i++) {
      if (at < chunks[i]!.length) return chunks[i]![at]!;
      at -= chunks[i]!.length;
    }
    throw new RangeError(`Cannot read byte ${index}: the queue's chunks are shorter than its length`);
  }

  /** The index of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from = 0): number {
    // The queue index of the current chunk's first byte. `0 - head`, not `-head`: QuickJS
    // negates an integer 0 to the double -0, and every index computed from it is then a
    // double, on the interpreter's slow path.
    let base = 0 - this.#head;
    const chunks = this.#chunks;
    for (let i = 0; i < chunks.length; i++) { // indexed: a for-of's iterator costs more under QuickJS
      const chunk = chunks[i]!;
      const start = Math.max(0, from - base);
      if (start < chunk.length) {
        const found = chunk.indexOf(byte, start);
        if (found >= 0) return base + found;
      }
      base += chunk.length;
    }
    return -1;
  }

  /** Removes the first `count` bytes and returns them as a new array the caller owns. */
  take(count: number): Uint8Array {
    this.#check(count, "take");
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.#chunks[0]!;
      const n = Math.min(count - filled, chunk.length - this.#head);
      out.set(chunk.subarray(this.#head, this.#head + n), filled);
      filled += n;
      this.#advance(n);
    }
    return out;
  }

  /**
   * take(), but the bytes are a view into the chunk they arrived in when they lie in one
   * (chunks are never written): for bytes read at once and dropped, such as a command line.
   * A view keeps its whole chunk alive: what is stored takes a copy (take).
   */
  takeView(count: number): Uint8Array {
    this.#check(count, "take");
    const chunk = this.#chunks[0];
    if (chunk === undefined || this.#head + count > chunk.length) return this.take(count);
    const view = chunk.subarray(this.#head, this.#head + count);
    if (count > 0) this.#advance(count);
    return view;
  }

  /** Removes the first `count` bytes. */
  skip(count: number): void {
    this.#check(count, "skip");
    let left = count;
    while (left > 0) {
      const n = Math.min(left, this.#chunks[0]!.length - this.#head);
      left -= n;
      this.#advance(n);
    }
  }

  #check(count: number, what: string): void {
    // `% 1`, not Number.isInteger: a native call on every take costs QuickJS more (NaN fails both ways).
    if (!(count >= 0 && count <= this.#length && count % 1 === 0)) {
      throw new RangeError(`Cannot ${what} ${count} bytes from a queue of ${this.#length}`);
    }
  }

  /** Drops `n` bytes of the first chunk (n ≤ what is left of it). */
  #advance(n: number): void {
    this.#head += n;
    this.#length -= n;
    if (this.#head === this.#chunks[0]!.length) {
      this.#chunks.shift();
      this.#head = 0;
    }
  }
}
