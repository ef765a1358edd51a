/**
 * device_loop: what a device driver needs from the event loop, and nothing more. The
 * Scheduler (sched/) provides it; dev/ does not import sched/ (imports go hal ← dev ← sched).
 */

import type { ReadySet } from "../hal/platform.ts";

export interface DeviceLoop {
  /** Step 2 of each turn: `ready` is the ReadySet the last wait returned. Returns a remover. */
  onPoll(hook: (ready: ReadySet, nowNs: number) => void): () => void;
  /** Step 4 of each turn, before the loop sleeps. Returns a remover. */
  onFlush(hook: (nowNs: number) => void): () => void;
  /** Keeps the loop from ending until the returned release is called. */
  keepAlive(): () => void;
  /** The next wait returns at once: the device has more to do without a new interrupt. */
  requestTurn(): void;
}

/** Whether device `index`'s bit is set in `ready` (bits above 30 need arithmetic, not `&`). */
export function isReady(ready: ReadySet, index: number): boolean {
  return index < 31 ? ((ready >>> index) & 1) === 1 : Math.floor(ready / 2 ** index) % 2 === 1;
}

/** A keep-alive held while `busy` says so: call update() after every change. */
export class LoopHold {
  readonly #loop: DeviceLoop;
  #release: (() => void) | undefined;

  constructor(loop: DeviceLoop) {
    this.#loop = loop;
  }

  update(busy: boolean): void {
    if (busy && this.#release === undefined) this.#release = this.#loop.keepAlive();
    else if (!busy && this.#release !== undefined) {
      this.#release();
      this.#release = undefined;
    }
  }
}
