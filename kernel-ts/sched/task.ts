/**
 * task: the record the scheduler keeps for each named task, and the view `tasks()` returns.
 *
 * A task is a named async function. Its life: "ready" (spawned, not yet started) →
 * "running" (inside one of its synchronous slices) ↔ "waiting" (its promise is pending) →
 * "done" or "failed". cpuNs only grows; it is monotonic-clock time spent in the slices the
 * scheduler can see (see scheduler.ts, "CPU accounting").
 */

export type TaskState = "ready" | "running" | "waiting" | "done" | "failed";

/** A snapshot of one task, as `Scheduler.tasks()` lists it. */
export interface TaskInfo {
  readonly id: number;
  readonly name: string;
  readonly state: TaskState;
  readonly cpuNs: number;
}

/** What `spawn` returns: the task's identity and the promise of its body's result. */
export interface Task<T> {
  readonly id: number;
  readonly name: string;
  /**
   * Settles with the body's result. When the body throws and nobody handles `result`,
   * the rejection is unhandled and reported like any other (Node's behaviour for an
   * async function whose promise is dropped).
   */
  readonly result: Promise<T>;
}

/** The scheduler's own mutable record of a task. Internal to sched/. */
export interface TaskRecord {
  readonly id: number;
  readonly name: string;
  state: TaskState;
  cpuNs: number;
  /** Starts the body; set by spawn, called once by the loop. */
  start: (() => void) | undefined;
}

export function snapshot(task: TaskRecord): TaskInfo {
  return { id: task.id, name: task.name, state: task.state, cpuNs: task.cpuNs };
}
