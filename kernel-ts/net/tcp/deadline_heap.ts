/**
 * deadline_heap: when each connection next needs its timers run, so output() and pollAt()
 * look only at connections with work instead of walking every TCB (hundreds sit in
 * TIME-WAIT on a busy server). Entries are (deadline, TCB id); a TCB's deadline moves
 * whenever it is processed, so entries go stale: a new one is pushed each time, and a
 * stale one is recognised (its deadline no longer matches) and dropped when it surfaces.
 */

export interface DeadlineEntry {
  readonly at: number;
  readonly id: number;
}

export class DeadlineHeap {
  readonly #items: DeadlineEntry[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(entry: DeadlineEntry): void {
    const items = this.#items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= entry.at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = entry;
  }

  clear(): void {
    this.#items.length = 0;
  }

  peek(): DeadlineEntry | undefined {
    return this.#items[0];
  }

  pop(): DeadlineEntry | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]!.at < items[left]!.at ? right : left;
      if (items[child]!.at >= last.at) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
