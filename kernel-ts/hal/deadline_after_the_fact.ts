/**
 * deadline_after_the_fact: Platform.runWithDeadline for platforms that cannot stop running
 * JS (fake, hosted-node): fn runs to its end, and the deadline is judged when it returns or
 * throws. The native platform stops fn at the deadline instead (shim/js/hal_watchdog.c);
 * hosted-quickjs repeats these few lines inside its VM (host/hosted/hal_module_source.ts).
 */

import { DeadlinePassed } from "./platform.ts";

export function runWithDeadlineAfterTheFact(nowNs: () => number, deadlineNs: number, fn: () => void): DeadlinePassed | undefined {
  if (typeof deadlineNs !== "number") throw new TypeError("Cannot run with a deadline: deadlineNs is not a number");
  if (Number.isNaN(deadlineNs)) throw new RangeError("Cannot run with a deadline: deadlineNs is NaN");
  if (typeof fn !== "function") throw new TypeError("Cannot run with a deadline: fn is not a function");
  try {
    fn();
  } catch (error) {
    if (nowNs() >= deadlineNs) return DeadlinePassed;
    throw error;
  }
  return nowNs() >= deadlineNs ? DeadlinePassed : undefined;
}
