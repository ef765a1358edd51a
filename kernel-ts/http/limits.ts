/**
 * limits: how much of a request the server reads before it refuses it, and how long it
 * waits. Each bound has its status code (RFC 9110 §15, RFC 6585 §5):
 *   request line longer than requestLineBytes     → 414 URI Too Long
 *   header section longer than headerBytes,
 *     or more than headerCount fields              → 431 Request Header Fields Too Large
 *   body longer than bodyBytes                     → 413 Content Too Large
 * Timeouts (milliseconds): the whole request head must arrive within headTimeoutMs of its
 * first byte (a slowloris client trickling headers is cut off); a body must make progress
 * every bodyIdleMs; a keep-alive connection with no request in flight closes after idleMs.
 */

export interface HttpLimits {
  readonly requestLineBytes: number;
  readonly headerBytes: number;
  readonly headerCount: number;
  readonly bodyBytes: number;
  readonly headTimeoutMs: number;
  readonly bodyIdleMs: number;
  readonly idleMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  requestLineBytes: 8 * 1024,
  headerBytes: 16 * 1024,
  headerCount: 100,
  bodyBytes: 1024 * 1024,
  headTimeoutMs: 10_000,
  bodyIdleMs: 10_000,
  idleMs: 5_000,
};

/** `given` over the defaults, each checked to be a positive integer. */
export function resolveLimits(given: Partial<HttpLimits> = {}): HttpLimits {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`Cannot use HTTP limit ${name} = ${value}: must be a positive integer`);
  }
  return limits;
}
