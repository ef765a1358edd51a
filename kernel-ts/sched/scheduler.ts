/**
 * scheduler: the kernel's one event loop, its one timer heap and its named tasks.
 *
 * One turn of the loop, in this order (DESIGN.md, "The event loop"):
 *   1. run due timers, oldest deadline first (equal deadlines in the order they were set),
 *      draining promise jobs after each callback as Node does;
 *   2. poll devices (poll hooks; none are registered yet, drivers add them later);
 *   3. start ready tasks and drain promise jobs (`platform.drainJobs()` where the platform
 *      has it, else `await platform.yieldToJobs()`), repeated while tasks keep spawning tasks;
 *   4. flush (flush hooks: transmit queues, later);
 *   5. `platform.wait(next deadline)`: the only place the kernel sleeps; the deadline is the
 *      earliest of the timer heap and the deadline hooks (protocol timers of the network).
 *
 * The loop ends (run() resolves) like Node's: when no timer is armed and no task is
 * waiting to start. A task whose promise is pending with no timer armed cannot make
 * progress any more (nothing is left that could wake it), so it does not keep the loop
 * alive. Devices hold the loop open through keepAlive() while they have requests in
 * flight or a reader waiting, and requestTurn() asks for another turn without sleeping
 * (a device that stopped reading at its per-turn budget).
 *
 * Watchdog: each app timer, interval and microtask callback runs under the app's CPU budget
 * (watchdog.ts) — its timer group's watchdog (timerGroup, one per app: timer_group.ts), or
 * the one given to setWatchdog for timers armed through the scheduler itself; one that runs
 * past it is stopped and reported as an uncaught BudgetExceeded ("a timer callback ran past
 * its 100 ms budget"). Kernel timers (`kernelTimeout`) and hooks are not budgeted.
 *
 * Failures: an exception from an app timer or microtask callback is reported through the
 * Reporter ("uncaught exception") and the loop goes on. An exception from a *kernel* timer
 * (`kernelTimeout`) or a hook escapes: run() rejects with it, and the caller panics.
 * Unhandled promise rejections reach the Reporter via `platform.onUnhandledRejection`,
 * which the constructor registers.
 *
 * CPU accounting: a "current task" is set around every slice the scheduler itself runs:
 * a task body's first synchronous slice, and each timer, interval and microtask callback,
 * which belong to the task that was current when they were scheduled. The monotonic time
 * of each slice is added to that task's cpuNs. Continuations after an `await` run as
 * promise jobs inside drainJobs or yieldToJobs, out of the scheduler's sight, and are not accounted.
 */

import type { Platform, ReadySet } from "../hal/platform.ts";
import { snapshot, type Task, type TaskInfo, type TaskRecord } from "./task.ts";
import { TimerHeap } from "./timer_heap.ts";
import type { GroupState, TimerGroup } from "./timer_group.ts";
import type { Watchdog } from "./watchdog.ts";

export type UncaughtKind = "uncaught exception" | "unhandled rejection";
/** Prints (or records) an app-level failure; must not throw. */
export type Reporter = (kind: UncaughtKind, error: unknown) => void;
/** Called in step 2 with the ReadySet of the last wait (0 on the first turn) and the time step 2 began. */
export type PollHook = (ready: ReadySet, nowNs: number) => void;
/** Called in step 4, before the loop sleeps, with the time step 4 began. */
export type FlushHook = (nowNs: number) => void;
/** Returns the monotonic time (ns) the hook next needs a turn; Infinity for none. */
export type DeadlineHook = (nowNs: number) => number;

export interface SchedulerStats {
  /** Turns of the loop since the scheduler was made. */
  readonly turns: number;
  /** Monotonic ns spent inside platform.wait. */
  readonly idleNs: number;
}

interface Timer {
  readonly id: number;
  deadlineNs: number;
  seq: number;
  /** undefined for a one-shot timer. */
  readonly intervalNs: number | undefined;
  readonly callback: (...args: unknown[]) => void;
  readonly args: unknown[];
  readonly owner: TaskRecord | undefined;
  /** The app timer group that armed it (timerGroup), if any. */
  readonly group: GroupState | undefined;
  /** Kernel timers let exceptions escape (a panic) instead of reporting them. */
  readonly kernel: boolean;
  cancelled: boolean;
  inHeap: boolean;
}

const NS_PER_MS = 1_000_000;
/** Node's TIMEOUT_MAX: delays outside [1, 2^31 - 1] ms become 1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** How many finished tasks tasks() keeps listing. */
const FINISHED_KEPT = 32;

export class Scheduler {
  readonly #platform: Platform;
  readonly #report: Reporter;
  readonly #heap = new TimerHeap<Timer>();
  /** Timers that will still fire: the loop is alive while this is non-empty. */
  readonly #armed = new Map<number, Timer>();
  #cancelledInHeap = 0;
  #nextTimerId = 1;
  #nextSeq = 0;
  #nextTaskId = 1;
  readonly #live = new Map<number, TaskRecord>();
  readonly #finished: TaskRecord[] = [];
  #ready: TaskRecord[] = [];
  #current: TaskRecord | undefined;
  readonly #pollHooks = new HookList<PollHook>();
  readonly #flushHooks = new HookList<FlushHook>();
  readonly #deadlineHooks = new HookList<DeadlineHook>();
  #running = false;
  #stopRequested = false;
  #turns = 0;
  #idleNs = 0;
  #holds = 0;
  #turnRequested = false;

  #watchdog: Watchdog | undefined;

  constructor(platform: Platform, report: Reporter) {
    this.#platform = platform;
    this.#report = report;
    platform.onUnhandledRejection((reason) => this.#report("unhandled rejection", reason));
  }

  // ── timers ────────────────────────────────────────────────────────────────────────

  setTimeout(callback: (...args: unknown[]) => void, delayMs?: unknown, ...args: unknown[]): number {
    return this.#arm(callback, delayMs, args, false, false, undefined);
  }

  setInterval(callback: (...args: unknown[]) => void, delayMs?: unknown, ...args: unknown[]): number {
    return this.#arm(callback, delayMs, args, true, false, undefined);
  }

  /** A timer whose callback is kernel code: an exception from it makes run() reject. */
  kernelTimeout(callback: () => void, delayMs: number): number {
    return this.#arm(callback, delayMs, [], false, true, undefined);
  }

  /** Cancels a timeout or interval; ids that are not armed (or not numbers) are ignored. */
  clearTimeout(id?: unknown): void {
    if (typeof id !== "number") return;
    const timer = this.#armed.get(id);
    if (timer === undefined) return;
    this.#cancel(timer);
  }

  #cancel(timer: Timer): void {
    this.#armed.delete(timer.id);
    timer.group?.armed.delete(timer.id);
    timer.cancelled = true;
    if (timer.inHeap) this.#cancelledInHeap++;
    // Drop cancelled entries in bulk once they are the majority, so clearing many timers
    // does not grow the heap without bound.
    if (this.#cancelledInHeap > 64 && this.#cancelledInHeap * 2 > this.#heap.size) {
      this.#heap.retain((entry) => !entry.cancelled);
      this.#cancelledInHeap = 0;
    }
  }

  clearInterval(id?: unknown): void {
    this.clearTimeout(id);
  }

  /** Runs `callback` as a promise job; an exception from it is reported, not fatal. */
  queueMicrotask(callback: () => void): void {
    this.#queueMicrotask(callback, undefined);
  }

  #queueMicrotask(callback: () => void, group: GroupState | undefined): void {
    if (typeof callback !== "function") throw new TypeError("Cannot queue microtask: callback is not a function");
    const owner = this.#current;
    void Promise.resolve().then(() => {
      if (group?.disposed !== true) this.#runReporting(owner, callback, [], "a microtask", group);
    });
  }

  /**
   * A new group of app timers whose callbacks run under `watchdog` (timer_group.ts): the
   * timer globals of one app, which dispose() reclaims.
   */
  timerGroup(watchdog: Watchdog | undefined): TimerGroup {
    const group: GroupState = { watchdog, disposed: false, armed: new Set() };
    const arm = (callback: (...args: unknown[]) => void, delayMs: unknown, args: unknown[], repeat: boolean): number =>
      group.disposed ? 0 : this.#arm(callback, delayMs, args, repeat, false, group);
    const clear = (id?: unknown): void => {
      if (typeof id === "number" && group.armed.has(id)) this.clearTimeout(id);
    };
    return {
      setTimeout: (callback, delayMs, ...args) => arm(callback, delayMs, args, false),
      setInterval: (callback, delayMs, ...args) => arm(callback, delayMs, args, true),
      clearTimeout: clear,
      clearInterval: clear,
      queueMicrotask: (callback) => {
        if (!group.disposed) this.#queueMicrotask(callback, group);
      },
      armed: () => group.armed.size,
      dispose: () => {
        group.disposed = true;
        for (const id of [...group.armed]) this.clearTimeout(id);
      },
    };
  }

  /** How many timers and intervals will still fire. */
  get armedTimers(): number {
    return this.#armed.size;
  }

  // ── tasks ─────────────────────────────────────────────────────────────────────────

  /** Starts `body` as a named task on the next turn of the loop (step 3). */
  spawn<T>(name: string, body: () => T | PromiseLike<T>): Task<T> {
    if (typeof name !== "string") throw new TypeError("Cannot spawn task: name is not a string");
    if (typeof body !== "function") throw new TypeError(`Cannot spawn task ${name}: body is not a function`);
    const record: TaskRecord = { id: this.#nextTaskId++, name, state: "ready", cpuNs: 0, start: undefined };
    let settle: (outcome: T | PromiseLike<T>) => void = () => {};
    const result = new Promise<T>((resolve) => { settle = resolve; });
    record.start = () => {
      let outcome: T | PromiseLike<T>;
      record.state = "running";
      try {
        outcome = this.#runAs(record, body, []);
      } catch (error) {
        outcome = Promise.reject(error);
      }
      record.state = "waiting";
      Promise.resolve(outcome).then(() => this.#finish(record, "done"), () => this.#finish(record, "failed"));
      settle(outcome);
    };
    this.#live.set(record.id, record);
    this.#ready.push(record);
    return { id: record.id, name, result };
  }

  /** Runs app timer, interval and microtask callbacks under `watchdog`'s budget from now on (undefined: unbudgeted). */
  setWatchdog(watchdog: Watchdog | undefined): void {
    this.#watchdog = watchdog;
  }

  /** Live tasks in spawn order, then up to 32 of the most recently finished. */
  tasks(): TaskInfo[] {
    return [...this.#live.values(), ...this.#finished].map(snapshot);
  }

  // ── hooks and the loop ────────────────────────────────────────────────────────────

  /** Registers a device poll (step 2); returns a function that removes it. */
  onPoll(hook: PollHook): () => void {
    return this.#pollHooks.add(hook);
  }

  /** Registers a flush (step 4); returns a function that removes it. */
  onFlush(hook: FlushHook): () => void {
    return this.#flushHooks.add(hook);
  }

  /**
   * Keeps the loop alive until the returned release is called (once; later calls do
   * nothing): a device with requests in flight or a reader waiting.
   */
  keepAlive(): () => void {
    this.#holds++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#holds--;
    };
  }

  /**
   * Registers a deadline (step 5): before sleeping, the loop asks each hook for the
   * monotonic time (ns) it next needs a turn — a protocol timer — and sleeps no longer.
   * A deadline does not keep the loop alive by itself. Returns a remover.
   */
  onDeadline(hook: DeadlineHook): () => void {
    return this.#deadlineHooks.add(hook);
  }

  /** Asks for one more turn of the loop without sleeping (the next wait's deadline is now). */
  requestTurn(): void {
    this.#turnRequested = true;
  }

  /** Makes run() resolve at the next check (after the current callback or step). */
  stop(): void {
    this.#stopRequested = true;
  }

  stats(): SchedulerStats {
    return { turns: this.#turns, idleNs: this.#idleNs };
  }

  /** Runs the loop until it is empty or stop() is called. Rejects when kernel code throws. */
  async run(): Promise<void> {
    if (this.#running) throw new Error("Cannot run the scheduler: it is already running");
    this.#running = true;
    this.#stopRequested = false;
    const platform = this.#platform;
    const drainJobs = platform.drainJobs;
    let ready: ReadySet = 0;
    try {
      for (;;) {
        this.#turns++;
        if (this.#timerDue()) await this.#runDueTimers();                   // 1
        if (this.#stopRequested) return;
        this.#turnRequested = false;                                        // this is the turn asked for
        const polls = this.#pollHooks.items;                                // 2 (indexed loops: no iterator per turn)
        const pollNs = platform.monotonicNs(); // one clock read per step, not per hook: each is a native call
        for (let i = 0; i < polls.length; i++) { const hook = polls[i]!; hook(ready, pollNs); }
        // 3. Most turns start no task: the jobs are drained without #runReadyTasks's own
        // async frame (its promise and resumption cost QuickJS a few thousand instructions),
        // and where the platform can run them in place (native), without suspending this one.
        if (this.#ready.length > 0) await this.#runReadyTasks();
        else {
          if (drainJobs !== undefined) drainJobs();
          else await platform.yieldToJobs();
          if (this.#ready.length > 0 && !this.#stopRequested) await this.#runReadyTasks(); // the jobs spawned tasks
        }
        const flushes = this.#flushHooks.items;                             // 4
        const flushNs = platform.monotonicNs();
        for (let i = 0; i < flushes.length; i++) { const hook = flushes[i]!; hook(flushNs); }
        if (this.#stopRequested || !this.#alive()) return;
        const sleptFrom = platform.monotonicNs();                           // 5
        ready = platform.wait(this.#nextDeadline());
        this.#idleNs += platform.monotonicNs() - sleptFrom;
      }
    } finally {
      this.#running = false;
    }
  }

  // ── internals ─────────────────────────────────────────────────────────────────────

  #arm(callback: (...args: unknown[]) => void, delayMs: unknown, args: unknown[], repeat: boolean, kernel: boolean, group: GroupState | undefined): number {
    if (typeof callback !== "function") throw new TypeError("Cannot set timer: callback is not a function");
    let delay = Number(delayMs);
    if (!(delay >= 1 && delay <= MAX_DELAY_MS)) delay = 1;
    const delayNs = delay * NS_PER_MS;
    const timer: Timer = {
      id: this.#nextTimerId++,
      deadlineNs: this.#platform.monotonicNs() + delayNs,
      seq: this.#nextSeq++,
      intervalNs: repeat ? delayNs : undefined,
      callback,
      args,
      owner: this.#current,
      group,
      kernel,
      cancelled: false,
      inHeap: true,
    };
    this.#armed.set(timer.id, timer);
    group?.armed.add(timer.id);
    this.#heap.push(timer);
    return timer.id;
  }

  /** A timer (or a cancelled one to clear away) is at the top of the heap and due: step 1 has work. */
  #timerDue(): boolean {
    const top = this.#heap.peek();
    return top !== undefined && top.deadlineNs <= this.#platform.monotonicNs();
  }

  async #runDueTimers(): Promise<void> {
    const now = this.#platform.monotonicNs();
    for (;;) {
      const timer = this.#heap.peek();
      if (timer === undefined || timer.deadlineNs > now) return;
      this.#heap.pop();
      timer.inHeap = false;
      if (timer.cancelled) {
        this.#cancelledInHeap--;
        continue;
      }
      if (timer.intervalNs === undefined) {
        this.#armed.delete(timer.id);
        timer.group?.armed.delete(timer.id);
      }
      if (timer.kernel) this.#runAs(undefined, timer.callback, timer.args);
      else this.#runReporting(timer.owner, timer.callback, timer.args, timer.intervalNs === undefined ? "a timer callback" : "an interval callback", timer.group);
      if (timer.intervalNs !== undefined && !timer.cancelled) {
        timer.deadlineNs = now + timer.intervalNs;
        timer.seq = this.#nextSeq++;
        timer.inHeap = true;
        this.#heap.push(timer);
      }
      await this.#platform.yieldToJobs(); // microtasks run between two timer callbacks
      if (this.#stopRequested) return;
    }
  }

  async #runReadyTasks(): Promise<void> {
    do {
      const batch = this.#ready;
      this.#ready = [];
      for (let i = 0; i < batch.length; i++) {
        const task = batch[i]!;
        const start = task.start;
        task.start = undefined;
        start?.();
      }
      await this.#platform.yieldToJobs();
    } while (this.#ready.length > 0 && !this.#stopRequested);
  }

  #alive(): boolean {
    return this.#armed.size > 0 || this.#ready.length > 0 || this.#holds > 0 || this.#turnRequested;
  }

  #nextDeadline(): number {
    if (this.#ready.length > 0 || this.#turnRequested) return 0;
    let hooked = Infinity;
    if (this.#deadlineHooks.items.length > 0) {
      const now = this.#platform.monotonicNs();
      const hooks = this.#deadlineHooks.items;
      // Compared, not Math.min: every turn, and each Math.min is a global lookup and a native call.
      for (let i = 0; i < hooks.length; i++) { const hook = hooks[i]!; const at = hook(now); if (at < hooked) hooked = at; }
    }
    const timer = this.#nextTimerDeadline();
    return timer < hooked ? timer : hooked;
  }

  #nextTimerDeadline(): number {
    for (;;) {
      const top = this.#heap.peek();
      if (top === undefined) return Infinity;
      if (!top.cancelled) return top.deadlineNs;
      this.#heap.pop();
      top.inHeap = false;
      this.#cancelledInHeap--;
    }
  }

  #runReporting(owner: TaskRecord | undefined, callback: (...args: unknown[]) => unknown, args: unknown[], what: string, group: GroupState | undefined): void {
    const watchdog = group === undefined ? this.#watchdog : group.watchdog;
    try {
      if (watchdog === undefined) this.#runAs(owner, callback, args);
      else this.#runAs(owner, () => watchdog.run(what, () => callback(...args)), []);
    } catch (error) {
      this.#report("uncaught exception", error);
    }
  }

  /** Runs one synchronous slice as `owner`, adding its monotonic time to owner.cpuNs. */
  #runAs<R>(owner: TaskRecord | undefined, slice: (...args: unknown[]) => R, args: unknown[]): R {
    const previous = this.#current;
    this.#current = owner;
    const startNs = this.#platform.monotonicNs();
    try {
      return slice(...args);
    } finally {
      if (owner !== undefined) owner.cpuNs += this.#platform.monotonicNs() - startNs;
      this.#current = previous;
    }
  }

  #finish(task: TaskRecord, state: "done" | "failed"): void {
    task.state = state;
    this.#live.delete(task.id);
    this.#finished.push(task);
    if (this.#finished.length > FINISHED_KEPT) this.#finished.shift();
  }
}

/**
 * Hooks, copy-on-write: adding or removing makes a new array, so a turn iterates `items`
 * as it was when the step began without copying it every turn (the loop runs thousands of
 * turns a second; hooks change a few times per boot).
 */
class HookList<H> {
  items: readonly H[] = [];

  add(hook: H): () => void {
    this.items = [...this.items, hook];
    return () => {
      const at = this.items.indexOf(hook);
      if (at !== -1) this.items = [...this.items.slice(0, at), ...this.items.slice(at + 1)];
    };
  }
}
