/**
 * file: File from the File API: a Blob with a name and a last-modified time (ms since the
 * epoch; Date.now() when not given).
 */

import { markPlatformClass } from "../platform_object.ts";
import { Blob, type BlobPart, type BlobPropertyBag } from "./blob.ts";

export interface FilePropertyBag extends BlobPropertyBag {
  lastModified?: number;
}

export class File extends Blob {
  readonly #name: string;
  readonly #lastModified: number;

  constructor(fileBits: Iterable<BlobPart>, fileName: string, options?: FilePropertyBag) {
    if (arguments.length < 2) throw new TypeError(`Failed to construct 'File': 2 arguments required, but only ${arguments.length} present.`);
    super(fileBits, options);
    this.#name = String(fileName);
    this.#lastModified = options?.lastModified === undefined ? Date.now() : Math.trunc(Number(options.lastModified)) || 0;
  }

  get name(): string {
    return this.#name;
  }

  get lastModified(): number {
    return this.#lastModified;
  }

  get webkitRelativePath(): string {
    return "";
  }

  static {
    Object.defineProperty(File.prototype, Symbol.toStringTag, { value: "File", configurable: true });
    markPlatformClass(File, "serializable");
  }
}
