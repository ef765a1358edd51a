/**
 * waiters: the promises of the async socket API wake on TCP events. TcpStack calls its
 * `onEvent` with the connection or listener whose `changed` moved; Waiters maps that
 * handle to the callbacks that were waiting and runs them once (each re-registers if it
 * still has to wait).
 */

export class Waiters {
  readonly #waiting = new Map<object, (() => void)[]>();

  /** Runs `wake` at the next event for `target`. */
  wait(target: object, wake: () => void): void {
    const list = this.#waiting.get(target);
    if (list === undefined) this.#waiting.set(target, [wake]);
    else list.push(wake);
  }

  /** Takes `wake` back from `target`'s list (a wait that ended some other way, e.g. timed out). */
  forget(target: object, wake: () => void): void {
    const list = this.#waiting.get(target);
    if (list === undefined) return;
    const at = list.indexOf(wake);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.#waiting.delete(target);
  }

  /** An event for `target`: run everything waiting on it. */
  notify(target: object): void {
    const list = this.#waiting.get(target);
    if (list === undefined) return;
    this.#waiting.delete(target);
    for (let i = 0; i < list.length; i++) {
      const wake = list[i]!;
      wake();
    }
  }
}
