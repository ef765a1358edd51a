/**
 * block_device: BlockDevice, one disk over the HAL with promise-based read, write and
 * flush, several requests in flight.
 *
 * A request is submitted at once when the device takes it; when the device answers Again
 * (its queue is full) the request waits in a local queue, in order, and is submitted as
 * completions free room. The poll hook collects completions when a wait names the device
 * and settles each request's promise by its id. Requests in flight together may complete
 * in any order (virtio-blk promises none): await a write before reading the same sectors
 * if the read must see it.
 *
 * flush() covers every write issued before it: it waits for those writes to complete,
 * then submits the device's flush (virtio 1.2 §5.2.6: a flush commits completed writes).
 * A device without VIRTIO_BLK_F_FLUSH writes through (§5.2.5), so flush() there only
 * waits for the writes.
 *
 * The device keeps the event loop alive only while it has requests queued or in flight.
 */

import { assert } from "../assert.ts";
import { Again, ReadOnly, type BlockInfo, type DeviceInfo, type Platform, type ReadySet } from "../hal/platform.ts";
import { BlockIoError, BlockRangeError, BlockReadOnlyError } from "./block_errors.ts";
import { isReady, LoopHold, type DeviceLoop } from "./device_loop.ts";

export const SECTOR_BYTES = 512;

interface Request {
  readonly operation: "read" | "write" | "flush";
  readonly sector: number;
  readonly buffer: Uint8Array | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class BlockDevice {
  readonly index: number;
  readonly name: string;
  readonly info: BlockInfo;
  readonly #platform: Platform;
  readonly #hold: LoopHold;
  /** Submitted, by the id the device gave. */
  readonly #inFlight = new Map<number, Request>();
  /** Not yet taken by the device (it said Again), oldest first. */
  readonly #waiting: Request[] = [];
  /** Promises of writes not yet settled, for flush(). */
  readonly #writes = new Set<Promise<void>>();

  constructor(platform: Platform, device: DeviceInfo, loop: DeviceLoop) {
    assert(device.kind === "block", `BlockDevice made for a ${device.kind} device`);
    this.index = device.index;
    this.name = device.name;
    this.#platform = platform;
    this.#hold = new LoopHold(loop);
    this.info = platform.blockInfo(device.index);
  }

  /** Capacity in 512-byte sectors. */
  get sectors(): number {
    return this.info.sectors;
  }

  get readOnly(): boolean {
    return this.info.readOnly;
  }

  /** Requests submitted to the device and not yet completed. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Reads `length` bytes (whole sectors) from `sector`. */
  async read(sector: number, length: number): Promise<Uint8Array> {
    this.#checkRange("read", sector, length);
    const buffer = new Uint8Array(length);
    await this.#request("read", sector, buffer);
    return buffer;
  }

  /** Writes `bytes` (whole sectors) at `sector`. Do not change `bytes` until it resolves. */
  write(sector: number, bytes: Uint8Array): Promise<void> {
    const done = this.#write(sector, bytes);
    this.#writes.add(done);
    const forget = (): void => { this.#writes.delete(done); };
    done.then(forget, forget);
    return done;
  }

  /** Resolves when every write issued before it is on stable storage. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#writes]);
    if (!this.info.flush) return; // write-through: nothing to flush
    await this.#request("flush", 0, undefined);
  }

  /** The poll hook (step 2): settles the requests the device completed, submits waiting ones. */
  poll(ready: ReadySet): void {
    if (!isReady(ready, this.index)) return;
    for (const completion of this.#platform.blockCompletions(this.index)) {
      const request = this.#inFlight.get(completion.id);
      assert(request !== undefined, `${this.name} completed request ${completion.id}, which is not in flight`);
      this.#inFlight.delete(completion.id);
      if (completion.status === "ok") request.resolve();
      else request.reject(new BlockIoError(this.name, request.operation, request.sector, completion.status));
    }
    this.#submitWaiting();
    this.#updateHold();
  }

  async #write(sector: number, bytes: Uint8Array): Promise<void> {
    if (!(bytes instanceof Uint8Array)) throw new TypeError(`Cannot write ${this.name}: bytes is not a Uint8Array`);
    this.#checkRange("write", sector, bytes.length);
    if (this.info.readOnly) throw new BlockReadOnlyError(this.name, sector);
    await this.#request("write", sector, bytes);
  }

  #checkRange(operation: string, sector: number, length: number): void {
    if (!Number.isInteger(sector) || sector < 0) throw new BlockRangeError(`Cannot ${operation} ${this.name} at sector ${sector}: not an integer ≥ 0`);
    if (!Number.isInteger(length) || length <= 0 || length % SECTOR_BYTES !== 0) {
      throw new BlockRangeError(`Cannot ${operation} ${length} bytes of ${this.name}: not a positive multiple of ${SECTOR_BYTES}`);
    }
    const end = sector + length / SECTOR_BYTES;
    if (end > this.info.sectors) {
      throw new BlockRangeError(`Cannot ${operation} ${this.name} sectors ${sector}–${end - 1}: the disk has ${this.info.sectors} sectors`);
    }
  }

  #request(operation: Request["operation"], sector: number, buffer: Uint8Array | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const request: Request = { operation, sector, buffer, resolve, reject };
      if (this.#waiting.length > 0 || !this.#submit(request)) this.#waiting.push(request); // keep the order
      this.#updateHold();
    });
  }

  /** Hands `request` to the device; false when it answered Again. */
  #submit(request: Request): boolean {
    const { operation, sector, buffer } = request;
    const id = operation === "read" ? this.#platform.blockRead(this.index, sector, buffer!)
      : operation === "write" ? this.#platform.blockWrite(this.index, sector, buffer!)
      : this.#platform.blockFlush(this.index);
    if (id === Again) {
      // Room comes back only with a completion; with none in flight, none would ever come.
      assert(this.#inFlight.size > 0, `${this.name} answered Again with no request in flight`);
      return false;
    }
    if (id === ReadOnly) {
      request.reject(new BlockReadOnlyError(this.name, sector));
      return true;
    }
    this.#inFlight.set(id, request);
    return true;
  }

  #submitWaiting(): void {
    while (this.#waiting.length > 0 && this.#submit(this.#waiting[0]!)) this.#waiting.shift();
  }

  #updateHold(): void {
    this.#hold.update(this.#inFlight.size > 0 || this.#waiting.length > 0);
  }
}
