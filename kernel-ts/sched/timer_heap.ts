/**
 * timer_heap: a binary min-heap of entries ordered by (deadlineNs, seq): the one timer
 * heap behind setTimeout, setInterval and the kernel's own timers.
 *
 * Invariants: every parent orders before its children; `seq` is unique and increases with
 * each push by the caller, so entries with equal deadlines pop in the order they were
 * pushed (stable, FIFO). push and pop are O(log n); peek is O(1).
 */

export interface HeapEntry {
  readonly deadlineNs: number;
  readonly seq: number;
}

export class TimerHeap<T extends HeapEntry> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(entry: T): void {
    const items = this.#items;
    items.push(entry);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(entry, items[parent]!)) break;
      items[at] = items[parent]!;
      at = parent;
    }
    items[at] = entry;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[at] = items[child]!;
      at = child;
    }
    items[at] = last;
    return top;
  }

  /** Keeps only the entries `keep` accepts (used to drop cancelled timers in bulk). O(n log n). */
  retain(keep: (entry: T) => boolean): void {
    const kept = this.#items.filter(keep);
    this.#items.length = 0;
    for (const entry of kept) this.push(entry);
  }
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.deadlineNs < b.deadlineNs || (a.deadlineNs === b.deadlineNs && a.seq < b.seq);
}
