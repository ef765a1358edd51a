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

/**
 * Whether device `index`'s bit is set in `ready` (bits above 30 need arithmetic, not `&`:
 * dividing an integer by a power of two is exact, and its floor is odd when the quotient
 * mod 2 is at least 1). One expression of its parameters: written out in the kernel bundle
 * (host/build/inline.ts), as the loop asks it of every device every turn.
 */
export function isReady(ready: ReadySet, index: number): boolean {
  return index < 31 ? ((ready >>> index) & 1) === 1 : (ready / 2 ** index) % 2 >= 1;
}

/**
 * A keep-alive held while `busy` says so: call update() after every change. `held` says
 * whether it is held, so a caller on a hot path can skip the call when nothing changed.
 */
export class LoopHold {
  readonly #loop: DeviceLoop;
  #release: (() => void) | undefined;
  /** Whether the keep-alive is taken: set by update() alone (a getter would cost the call it saves). */
  held = false;

  constructor(loop: DeviceLoop) {
    this.#loop = loop;
  }

  update(busy: boolean): void {
    if (busy && this.#release === undefined) this.#release = this.#loop.keepAlive();
    else if (!busy && this.#release !== undefined) {
      this.#release();
      this.#release = undefined;
    }
    this.held = busy;
  }
}
