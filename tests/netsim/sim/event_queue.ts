/**
 * event_queue: a binary min-heap of timed events, ordered by time and then by insertion,
 * so that two events at the same virtual instant always run in the order they were made
 * (a run is a function of its seed alone).
 */

interface Entry<T> { at: number; order: number; value: T }

export class EventQueue<T> {
  readonly #heap: Entry<T>[] = [];
  #order = 0;

  get size(): number { return this.#heap.length; }

  /** The time of the earliest event, or Infinity. */
  get nextAt(): number { return this.#heap[0]?.at ?? Infinity; }

  push(at: number, value: T): void {
    const heap = this.#heap;
    heap.push({ at, order: this.#order++, value });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Removes and returns the earliest event if it is due at `now`, else undefined. */
  popDue(now: number): T | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined || top.at > now) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
        if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least]!, heap[i]!];
        i = least;
      }
    }
    return top.value;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
