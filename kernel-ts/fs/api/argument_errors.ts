/**
 * argument_errors: a call to skiff:fs with arguments it cannot take. These are the
 * caller's bugs, not file-system outcomes, so they are TypeError and RangeError as in Node,
 * with Node's `code` for the same mistake (ERR_INVALID_ARG_TYPE…) and our own words.
 */

export class InvalidArgument extends TypeError {
  override readonly name = "InvalidArgument";
  constructor(readonly code: "ERR_INVALID_ARG_TYPE" | "ERR_INVALID_ARG_VALUE", message: string) {
    super(message);
  }
}

export class ArgumentOutOfRange extends RangeError {
  override readonly name = "ArgumentOutOfRange";
  readonly code = "ERR_OUT_OF_RANGE";
}

/** readFile would return more than it may hold (a device that never ends, like /dev/zero). */
export class FileTooLarge extends RangeError {
  override readonly name = "FileTooLarge";
  readonly code = "ERR_FS_FILE_TOO_LARGE";
  constructor(what: string, limit: number) {
    super(`Cannot read ${what}: it is longer than ${limit} bytes, the most readFile returns`);
  }
}

/** A short description of a value for messages: "number 3", "undefined", "object". */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return `${typeof value} ${String(value)}`;
  return typeof value;
}
