/**
 * module: the TCP module's entry when it is built on its own for a reload (`skiff dev`,
 * host/dev/dev_build.ts): its default export is what code_slot.ts keeps. The kernel's own
 * bundle does not use this file; code_slot.ts imports the functions directly.
 */

import type { TcpCode } from "./code_slot.ts";
import { negotiateOptions, segmentArrives } from "./input.ts";
import { windowUpdateWorthwhile } from "./rcv.ts";
import { emit } from "./snd.ts";
import { closeTcb, nextDeadline, restartKeepAlive, runTimers, updatePersist } from "./timer.ts";

const code: TcpCode = { segmentArrives, negotiateOptions, emit, runTimers, nextDeadline, updatePersist, closeTcb, restartKeepAlive, windowUpdateWorthwhile };
export default code;
