/**
 * dom_exception: DOMException as WebIDL defines it — an Error with a `name` from the
 * standard table and the legacy numeric `code` that goes with that name (0 for names
 * outside the table).
 *
 * `name` and `code` are prototype getters over private state, like browsers and Node;
 * `message` is the own property Error sets. `DOMException.ABORT_ERR` and the other legacy
 * constants sit on both the constructor and its prototype.
 *
 * Other web modules throw through `domException(name, message)` so the error names used
 * in this folder stay in one table.
 */

import { markPlatformClass } from "./platform_object.ts";

/** WebIDL's DOMException names table: name → legacy code. */
const LEGACY_CODES: Readonly<Record<string, number>> = {
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InUseAttributeError: 10,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

const CONSTANTS: ReadonlyArray<readonly [string, number]> = [
  ["INDEX_SIZE_ERR", 1], ["DOMSTRING_SIZE_ERR", 2], ["HIERARCHY_REQUEST_ERR", 3],
  ["WRONG_DOCUMENT_ERR", 4], ["INVALID_CHARACTER_ERR", 5], ["NO_DATA_ALLOWED_ERR", 6],
  ["NO_MODIFICATION_ALLOWED_ERR", 7], ["NOT_FOUND_ERR", 8], ["NOT_SUPPORTED_ERR", 9],
  ["INUSE_ATTRIBUTE_ERR", 10], ["INVALID_STATE_ERR", 11], ["SYNTAX_ERR", 12],
  ["INVALID_MODIFICATION_ERR", 13], ["NAMESPACE_ERR", 14], ["INVALID_ACCESS_ERR", 15],
  ["VALIDATION_ERR", 16], ["TYPE_MISMATCH_ERR", 17], ["SECURITY_ERR", 18], ["NETWORK_ERR", 19],
  ["ABORT_ERR", 20], ["URL_MISMATCH_ERR", 21], ["QUOTA_EXCEEDED_ERR", 22], ["TIMEOUT_ERR", 23],
  ["INVALID_NODE_TYPE_ERR", 24], ["DATA_CLONE_ERR", 25],
];

export interface DOMExceptionOptions {
  readonly name?: string;
  readonly cause?: unknown;
}

export class DOMException extends Error {
  readonly #name: string;

  constructor(message?: unknown, options?: string | DOMExceptionOptions) {
    const text = message === undefined ? "" : String(message);
    if (typeof options === "object" && options !== null) {
      super(text, "cause" in options ? { cause: options.cause } : undefined);
      this.#name = options.name === undefined ? "Error" : String(options.name);
    } else {
      super(text);
      this.#name = options === undefined ? "Error" : String(options);
    }
  }

  /** The legacy code for the name; 0 for names outside the table. */
  get code(): number {
    return LEGACY_CODES[this.#name] ?? 0;
  }

  static {
    // `name` must be a getter (Error.prototype.name is a data property TypeScript models
    // as a field, so it cannot be declared as an accessor in the class body).
    Object.defineProperty(DOMException.prototype, "name", {
      get(this: DOMException): string {
        return this.#name;
      },
      enumerable: true,
      configurable: true,
    });
    Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: "DOMException", configurable: true });
    for (const [constant, value] of CONSTANTS) {
      const descriptor = { value, enumerable: true, writable: false, configurable: false };
      Object.defineProperty(DOMException, constant, descriptor);
      Object.defineProperty(DOMException.prototype, constant, descriptor);
    }
    markPlatformClass(DOMException, "serializable");
  }
}

/** A DOMException with `name`; the one way this folder creates them. */
export function domException(name: string, message: string): DOMException {
  return new DOMException(message, name);
}
