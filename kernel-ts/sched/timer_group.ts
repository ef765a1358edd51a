/**
 * timer_group: one app's timers — the setTimeout, setInterval, clearTimeout, clearInterval
 * and queueMicrotask an app context gets as globals (loader/), made by
 * Scheduler.timerGroup(watchdog).
 *
 * Every callback of the group runs under the group's watchdog (the app's CPU budget), and
 * dispose() reclaims what the app left: it cancels every timer and interval still armed
 * and drops the microtasks still queued, so an app that failed, or the old version of an
 * app that was replaced, runs no more callbacks. After dispose the group's functions arm
 * nothing (setTimeout returns 0): late code of a disposed app is ignored, not an error.
 * Ids are the scheduler's, shared by every group, and a group clears only its own.
 */

import type { Watchdog } from "./watchdog.ts";

export interface TimerGroup {
  readonly setTimeout: (callback: (...args: unknown[]) => void, delayMs?: unknown, ...args: unknown[]) => number;
  readonly setInterval: (callback: (...args: unknown[]) => void, delayMs?: unknown, ...args: unknown[]) => number;
  readonly clearTimeout: (id?: unknown) => void;
  readonly clearInterval: (id?: unknown) => void;
  readonly queueMicrotask: (callback: () => void) => void;
  /** Timers and intervals of the group that will still fire. */
  readonly armed: () => number;
  /** Cancels the group's timers and queued microtasks; later calls arm nothing. Idempotent. */
  readonly dispose: () => void;
}

/** The scheduler's record of a group: what its timers point back to. */
export interface GroupState {
  readonly watchdog: Watchdog | undefined;
  disposed: boolean;
  /** Ids of the group's armed timers. */
  readonly armed: Set<number>;
}
