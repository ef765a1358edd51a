/**
 * Test helpers around FakePlatform: a fake whose yieldToJobs uses Node's setImmediate, and
 * a Scheduler on it whose reports are collected instead of printed.
 */
import { FakePlatform, type FakePlatformOptions } from "../../../kernel-ts/hal/fake.ts";
import { Scheduler, type UncaughtKind } from "../../../kernel-ts/sched/mod.ts";

export const NS_PER_MS = 1_000_000;

export function makeFake(options: Partial<FakePlatformOptions> = {}): FakePlatform {
  return new FakePlatform({ macrotask: setImmediate, ...options });
}

export interface Report {
  readonly kind: UncaughtKind;
  readonly error: unknown;
}

export function makeScheduler(options: Partial<FakePlatformOptions> = {}) {
  const platform = makeFake(options);
  const reports: Report[] = [];
  const scheduler = new Scheduler(platform, (kind, error) => reports.push({ kind, error }));
  /** Virtual time in ms, for recording when callbacks ran. */
  const nowMs = () => platform.monotonicNs() / NS_PER_MS;
  return { platform, scheduler, reports, nowMs };
}
