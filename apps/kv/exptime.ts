/**
 * exptime: the protocol's expiration times as deadlines (protocol.txt, "Expiration
 * times"). 0 never expires; up to 30 days (2,592,000 s) is an offset from now; more is an
 * absolute Unix time (one already past is expired at once); a negative value is expired at
 * once. memcached keeps time in whole seconds, so its "1 second" may end sooner; here a
 * deadline is exact to the millisecond of the injected clock.
 */

/** memcached's REALTIME_MAXDELTA: 60*60*24*30. */
export const RELATIVE_EXPTIME_MAX = 60 * 60 * 24 * 30;
/** A deadline that has always passed (the clock reads Unix time, well past 1 ms). */
export const ALREADY_EXPIRED = 1;

/** The Unix ms at which something given `exptime` (seconds) expires; 0 = never. */
export function deadlineOf(exptime: number, nowMs: number): number {
  if (exptime === 0) return 0;
  if (exptime < 0) return ALREADY_EXPIRED;
  if (exptime > RELATIVE_EXPTIME_MAX) return Math.max(exptime * 1000, ALREADY_EXPIRED);
  return nowMs + exptime * 1000;
}
