/**
 * validators: the ETag and Last-Modified of a file, and the conditional requests they answer
 * (RFC 9110 §8.8, §13).
 *
 * ETag: strong, `"<size in hex>-<53-bit content hash in base 36>"`. It comes from the bytes,
 * not from the time: /app is the boot image, whose files all carry the boot's time, so an
 * mtime-based tag would change on every boot though nothing else did, while a content hash
 * stays the same across boots and across machines serving the same image. The hash (cyrb53's
 * two multiply lanes, over 32-bit words) tells versions of a file apart; it is not
 * cryptographic. It is computed once per file, on its first request, and kept while the
 * file's size and mtime stay the same (/app is read-only: for the whole boot).
 *
 * Last-Modified: the file's mtime, which for /app is the boot's wall-clock time, to the
 * second. If-None-Match takes precedence over If-Modified-Since (§13.2.2); If-Range needs a
 * strong match of the ETag or the exact Last-Modified date (§13.1.5).
 */

export interface Validators {
  readonly etag: string;
  /** ms since the epoch, whole seconds (HTTP dates have no finer unit). */
  readonly modifiedMs: number;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const IMF_FIXDATE = /^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** An HTTP-date in the IMF-fixdate form (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT". */
export function httpDate(ms: number): string {
  const date = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${DAYS[date.getUTCDay()]}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} GMT`;
}

/** ms since the epoch of an IMF-fixdate, or undefined for anything else (the obsolete forms are not read). */
export function parseHttpDate(text: string): number | undefined {
  const match = IMF_FIXDATE.exec(text.trim());
  if (match === null) return undefined;
  const [, day, month, year, hours, minutes, seconds] = match;
  return Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day), Number(hours), Number(minutes), Number(seconds));
}

/** cyrb53 over the bytes, four at a time: a 53-bit integer. */
export function contentHash(bytes: Uint8Array): number {
  let h1 = 0xdeadbeef ^ bytes.length;
  let h2 = 0x41c6ce57 ^ bytes.length;
  const wordCount = bytes.length >>> 2;
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, wordCount);
  for (let i = 0; i < wordCount; i++) {
    const word = words[i]!;
    h1 = Math.imul(h1 ^ word, 2654435761);
    h2 = Math.imul(h2 ^ word, 1597334677);
  }
  for (let i = wordCount * 4; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, 2654435761);
    h2 = Math.imul(h2 ^ bytes[i]!, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function entityTag(bytes: Uint8Array): string {
  return `"${bytes.length.toString(16)}-${contentHash(bytes).toString(36)}"`;
}

/** The opaque tags of an If-None-Match or If-Match value; "*" stays "*". W/ prefixes are kept. */
function tagList(value: string): string[] {
  return value.split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
}

const weakless = (tag: string): string => (tag.startsWith("W/") ? tag.slice(2) : tag);

/** §13.2.2 steps 3–4 for GET and HEAD: the client's copy is current, answer 304. */
export function notModified(headers: Headers, current: Validators): boolean {
  const noneMatch = headers.get("if-none-match");
  if (noneMatch !== null) {
    // Weak comparison (§8.8.3.2): W/"x" matches "x".
    return tagList(noneMatch).some((tag) => tag === "*" || weakless(tag) === current.etag);
  }
  const since = headers.get("if-modified-since");
  if (since === null) return false;
  const sinceMs = parseHttpDate(since);
  return sinceMs !== undefined && current.modifiedMs <= sinceMs;
}

/** §13.1.5: whether a Range request may be answered with part of the file. */
export function rangeStillApplies(headers: Headers, current: Validators): boolean {
  const ifRange = headers.get("if-range");
  if (ifRange === null) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === current.etag; // strong comparison: a weak tag never matches
  return parseHttpDate(value) === current.modifiedMs;
}
