/**
 * crypto: the Web Crypto API's `crypto.getRandomValues` and `crypto.randomUUID` over the
 * platform's random source (a `randomFill(bytes)` function; in the kernel,
 * Platform.randomFill: virtio-rng, else RDSEED/RDRAND). `crypto.subtle` is not provided.
 *
 * getRandomValues takes integer typed arrays only (else a "TypeMismatchError"
 * DOMException) of at most 65536 bytes (else "QuotaExceededError"), fills them in place
 * and returns them. randomUUID is an RFC 9562 version 4 UUID.
 */

import { domException } from "./dom_exception.ts";
import { markPlatformClass } from "./platform_object.ts";

export type RandomFill = (bytes: Uint8Array) => void;

const MAX_BYTES = 65536;
const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array];
const CONSTRUCT = Symbol("Crypto.construct");

export class Crypto {
  readonly #randomFill: RandomFill;

  constructor(token?: unknown, randomFill?: RandomFill) {
    if (token !== CONSTRUCT || randomFill === undefined) throw new TypeError("Illegal constructor");
    this.#randomFill = randomFill;
  }

  getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    if (!ArrayBuffer.isView(array)) {
      throw new TypeError("Failed to execute 'getRandomValues' on 'Crypto': parameter 1 is not of type 'ArrayBufferView'.");
    }
    if (!INTEGER_ARRAYS.some((constructor) => array instanceof constructor)) {
      throw domException("TypeMismatchError", "Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is of type other than an integer typed array.");
    }
    if (array.byteLength > MAX_BYTES) {
      throw domException("QuotaExceededError", `Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (${MAX_BYTES}).`);
    }
    this.#randomFill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    return array;
  }

  randomUUID(): `${string}-${string}-${string}-${string}-${string}` {
    const bytes = new Uint8Array(16);
    this.#randomFill(bytes);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  static {
    Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: "Crypto", configurable: true });
    markPlatformClass(Crypto, "not-serializable");
  }
}

/** The `crypto` object over `randomFill`. */
export function createCrypto(randomFill: RandomFill): Crypto {
  return new Crypto(CONSTRUCT, randomFill);
}
