/**
 * format: joins console arguments into one line the way Node's util.format does (a subset).
 *
 * When the first argument is a string it may hold directives: %s (String, or inspect for
 * objects), %d and %i (Number / integer), %f (float), %j (JSON), %o and %O (inspect),
 * %c (CSS, consumed and dropped) and %% (a literal %). A directive with no argument left
 * stays as written. Remaining arguments follow, separated by one space: strings as they
 * are, everything else through `inspect`.
 * Invariant: never throws, whatever the arguments (see inspect's invariants).
 */

import { inspect } from "./inspect.ts";

export function format(args: readonly unknown[]): string {
  const first = args[0];
  let next = 0;
  const parts: string[] = [];
  if (typeof first === "string") {
    next = 1;
    parts.push(first.indexOf("%") === -1 ? first : first.replace(/%[sdifjoOc%]/g, (directive) => {
      if (directive === "%%") return "%";
      if (next >= args.length) return directive;
      return substitute(directive, args[next++]);
    }));
  }
  for (; next < args.length; next++) {
    const value = args[next];
    parts.push(typeof value === "string" ? value : inspect(value));
  }
  return parts.join(" ");
}

function substitute(directive: string, value: unknown): string {
  switch (directive) {
    case "%s":
      if (typeof value === "string") return value;
      return inspect(value); // numbers, bigints (1n), symbols and objects as inspect shows them
    case "%d":
      return typeof value === "bigint" ? `${String(value)}n` : inspect(toNumber(value));
    case "%i":
      return typeof value === "bigint" ? `${String(value)}n` : inspect(Math.trunc(toNumber(value)));
    case "%f":
      return inspect(typeof value === "symbol" ? NaN : toNumber(value));
    case "%j":
      return toJson(value);
    case "%c":
      return "";
    default: // %o, %O
      return inspect(value);
  }
}

function toNumber(value: unknown): number {
  try {
    return typeof value === "symbol" || typeof value === "bigint" ? NaN : Number(value);
  } catch {
    return NaN;
  }
}

function toJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? "undefined" : text;
  } catch (error) {
    return error instanceof TypeError && /circular|cyclic/i.test(error.message) ? "[Circular]" : "[JSON threw]";
  }
}
