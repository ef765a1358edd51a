/**
 * hosted_disk: a hosted platform's block device: a file, 512-byte sectors.
 *
 * Requests run with synchronous fs calls when they are submitted (readSync/writeSync at
 * the sector's offset; flush = fsyncSync), which a host can afford and keeps this small;
 * their completions are then reported as a real disk's would be: at the next `wait`, with
 * the device's ReadySet bit set, through blockCompletions. A failed call completes
 * "io-error". The capacity is the file's size at open, rounded down to whole sectors.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import { Again, ReadOnly, type BlockCompletion, type BlockInfo, type BlockStatus } from "../../kernel-ts/hal/devices.ts";
import { checkRange } from "../../kernel-ts/hal/fake_devices.ts";

export interface HostedDiskOptions {
  readonly path: string;
  readonly readOnly?: boolean;
  /** Completions not yet collected before requests get Again; default 64. */
  readonly queueDepth?: number;
}

const SECTOR_BYTES = 512;

export class HostedDisk {
  readonly info: BlockInfo;
  readonly path: string;
  readonly #fd: number;
  readonly #queueDepth: number;
  /** Requests run, whose completion the next wait reports. */
  readonly #ran: BlockCompletion[] = [];
  #completed: BlockCompletion[] = [];
  #nextId = 1;

  constructor(options: HostedDiskOptions) {
    const readOnly = options.readOnly ?? false;
    this.path = options.path;
    this.#fd = openSync(options.path, readOnly ? "r" : "r+");
    this.info = { sectors: Math.floor(fstatSync(this.#fd).size / SECTOR_BYTES), blockSize: SECTOR_BYTES, readOnly, flush: true };
    this.#queueDepth = options.queueDepth ?? 64;
  }

  /** Reads into `buffer` (which the caller then owns again at completion). */
  read(sector: number, buffer: Uint8Array): number | Again {
    checkRange(this.info, sector, buffer);
    return this.#submit(() => {
      const got = readSync(this.#fd, buffer, 0, buffer.length, sector * SECTOR_BYTES);
      if (got !== buffer.length) throw new Error(`short read: ${got} of ${buffer.length} bytes`);
    });
  }

  write(sector: number, buffer: Uint8Array): number | Again | ReadOnly {
    checkRange(this.info, sector, buffer);
    if (this.info.readOnly) return ReadOnly;
    return this.#submit(() => {
      const put = writeSync(this.#fd, buffer, 0, buffer.length, sector * SECTOR_BYTES);
      if (put !== buffer.length) throw new Error(`short write: ${put} of ${buffer.length} bytes`);
    });
  }

  flush(): number | Again {
    return this.#submit(() => fsyncSync(this.#fd));
  }

  completions(): BlockCompletion[] {
    const done = this.#completed;
    this.#completed = [];
    return done;
  }

  /** Called by wait: requests that ran since the last call complete now. */
  takeNews(): boolean {
    if (this.#ran.length === 0) return false;
    this.#completed.push(...this.#ran.splice(0));
    return true;
  }

  close(): void {
    closeSync(this.#fd);
  }

  #submit(run: () => void): number | Again {
    if (this.#ran.length + this.#completed.length >= this.#queueDepth) return Again;
    const id = this.#nextId++;
    let status: BlockStatus = "ok";
    try {
      run();
    } catch {
      status = "io-error";
    }
    this.#ran.push({ id, status });
    return id;
  }
}
