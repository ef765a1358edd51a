/**
 * code_slot: where the TCP stack finds the code that acts on its TCBs — segment arrival,
 * emission, timers, and the owner's window and keepalive calls. A TCB is plain data
 * (tcb.ts), so newer code can take over established connections between two segments: a
 * reload (the development channel, kernel-ts/reload/service.ts) puts the default export of a
 * newer module.ts here, evaluated in a context of its own, and every TCB's next segment,
 * timer or emission runs it. What stays resident (changing it needs a reboot): the stack's
 * tables and demultiplexing (stack.ts), the owner's handles (connection.ts), this slot, and
 * the TCB's layout — new code must read the TCBs old code made.
 */

import { CodeSlot } from "../../reload/code_slot.ts";
import { negotiateOptions, segmentArrives } from "./input.ts";
import { windowUpdateWorthwhile } from "./rcv.ts";
import { emit } from "./snd.ts";
import { closeTcb, nextDeadline, restartKeepAlive, runTimers, updatePersist } from "./timer.ts";

/** What a version of the TCP module provides (module.ts's default export). */
export interface TcpCode {
  readonly segmentArrives: typeof segmentArrives;
  readonly negotiateOptions: typeof negotiateOptions;
  readonly emit: typeof emit;
  readonly runTimers: typeof runTimers;
  readonly nextDeadline: typeof nextDeadline;
  readonly updatePersist: typeof updatePersist;
  readonly closeTcb: typeof closeTcb;
  readonly restartKeepAlive: typeof restartKeepAlive;
  readonly windowUpdateWorthwhile: typeof windowUpdateWorthwhile;
}

export const tcpCode = new CodeSlot<TcpCode>("TCP", {
  segmentArrives, negotiateOptions, emit, runTimers, nextDeadline, updatePersist, closeTcb, restartKeepAlive, windowUpdateWorthwhile,
});
