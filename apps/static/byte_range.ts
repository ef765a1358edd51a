/**
 * byte_range: what to answer a GET's Range header with (RFC 9110 §14.1.2, §14.2) for a file
 * of `size` bytes.
 *
 *   bytes=a-b   bytes a through b (b past the end means the end)       → 206
 *   bytes=a-    from a to the end                                      → 206
 *   bytes=-n    the last n bytes (all of them when n ≥ size)           → 206
 *   a ≥ size, "-0", or any range of an empty file: unsatisfiable       → 416, bytes * /size
 *
 * Everything else is answered with the whole file (200), as §14.2 allows a server to ignore
 * Range: no header, another unit than bytes, a malformed or invalid spec (b < a), and more
 * than one range — this server sends no multipart/byteranges.
 */

export type RangeAnswer =
  | { readonly kind: "full" }
  | { readonly kind: "partial"; readonly start: number; readonly end: number }
  | { readonly kind: "unsatisfiable" };

const FULL: RangeAnswer = { kind: "full" };
const UNSATISFIABLE: RangeAnswer = { kind: "unsatisfiable" };
const RANGES = /^bytes[ \t]*=[ \t]*(.*)$/i;
const SPEC = /^(\d*)-(\d*)$/;

export function byteRange(header: string | null, size: number): RangeAnswer {
  if (header === null) return FULL;
  const ranges = RANGES.exec(header.trim());
  if (ranges === null) return FULL;
  const specs = ranges[1]!.split(",").map((spec) => spec.trim()).filter((spec) => spec !== "");
  if (specs.length !== 1) return FULL;
  const spec = SPEC.exec(specs[0]!);
  if (spec === null) return FULL;
  const [, first = "", last = ""] = spec;
  if (first === "" && last === "") return FULL;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return UNSATISFIABLE;
    return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return FULL;
  if (start >= size) return UNSATISFIABLE;
  return { kind: "partial", start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}
