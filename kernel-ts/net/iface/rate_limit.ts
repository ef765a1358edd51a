/**
 * rate_limit: a token bucket, for ICMP errors (RFC 1812 §4.3.2.8, RFC 1122 §3.2.2: a host
 * SHOULD limit them), so a flood to closed ports cannot make us a flood in return.
 * Time is passed in (milliseconds).
 */

export class TokenBucket {
  #tokens: number;
  #lastMs = -Infinity;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  /** Takes a token if one is there. */
  take(now: number): boolean {
    if (this.#lastMs !== -Infinity && now > this.#lastMs) this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#lastMs) * this.perSecond) / 1000);
    if (now > this.#lastMs || this.#lastMs === -Infinity) this.#lastMs = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
