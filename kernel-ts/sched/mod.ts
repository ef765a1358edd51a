/**
 * sched/: the event loop, the timer heap and named tasks with CPU accounting.
 * The only part of the kernel that sleeps (through platform.wait) or owns time.
 */

export { Scheduler } from "./scheduler.ts";
export type { FlushHook, PollHook, Reporter, SchedulerStats, UncaughtKind } from "./scheduler.ts";
export type { Task, TaskInfo, TaskState } from "./task.ts";
export { BudgetExceeded, Watchdog } from "./watchdog.ts";
export type { TimerGroup } from "./timer_group.ts";
export { TimerHeap } from "./timer_heap.ts";
export type { HeapEntry } from "./timer_heap.ts";
