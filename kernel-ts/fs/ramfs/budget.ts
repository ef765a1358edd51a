/**
 * budget: what one ramfs may hold — a number of bytes of file data and a number of nodes
 * (files and directories), as tmpfs has `size` and `nr_inodes`. Past either, the operation
 * that wanted more fails with ENOSPC and changes nothing. Bytes are counted by file size,
 * not by the capacity the file's buffer happens to have, so a limit reads the way `ls -l`
 * adds up; the buffers never grow past what the budget still allows.
 */

export class Budget {
  #bytesUsed = 0;
  #nodesUsed = 0;

  constructor(readonly maxBytes: number, readonly maxNodes: number) {
    if (!(maxBytes >= 0) || !(maxNodes >= 1)) throw new RangeError(`Cannot make a ramfs budget of ${maxBytes} bytes and ${maxNodes} nodes`);
  }

  get bytesUsed(): number { return this.#bytesUsed; }
  get bytesFree(): number { return this.maxBytes - this.#bytesUsed; }
  get nodesUsed(): number { return this.#nodesUsed; }

  /** Takes `count` bytes when they are free; false (nothing taken) when they are not. */
  takeBytes(count: number): boolean {
    if (count > this.bytesFree) return false;
    this.#bytesUsed += count;
    return true;
  }

  giveBytes(count: number): void {
    this.#bytesUsed -= count;
  }

  takeNode(): boolean {
    if (this.#nodesUsed >= this.maxNodes) return false;
    this.#nodesUsed += 1;
    return true;
  }

  giveNode(): void {
    this.#nodesUsed -= 1;
  }
}
