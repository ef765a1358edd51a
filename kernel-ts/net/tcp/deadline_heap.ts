/**
 * deadline_heap: when each connection next needs its timers run, so output() and pollAt()
 * look only at connections with work instead of walking every TCB (hundreds sit in
 * TIME-WAIT on a busy server). Entries are (deadline, TCB id); a TCB's deadline moves
 * whenever it is processed, so entries go stale: a new one is pushed each time, and a
 * stale one is recognised (its deadline no longer matches) and dropped when it surfaces.
 *
 * Two lanes: a queue for entries pushed in nondecreasing order of deadline, and a binary
 * heap for the rest. Most deadlines are "now + a constant" — 2·MSL for each connection
 * entering TIME-WAIT, the RTO of a steady connection — so they arrive in order and cost
 * O(1) at both ends, where a heap of thousands of TIME-WAIT entries cost every push and
 * pop a dozen levels; an entry earlier than the queue's last goes to the heap.
 */

export interface DeadlineEntry {
  readonly at: number;
  readonly id: number;
}

export class DeadlineHeap {
  /** The heap: entries that came out of order. */
  readonly #items: DeadlineEntry[] = [];
  /** The queue: entries in nondecreasing order of `at`, from #laneHead on. */
  readonly #lane: DeadlineEntry[] = [];
  #laneHead = 0;

  get size(): number {
    return this.#items.length + this.#lane.length - this.#laneHead;
  }

  push(entry: DeadlineEntry): void {
    const lane = this.#lane;
    if (lane.length === this.#laneHead || lane[lane.length - 1]!.at <= entry.at) {
      lane.push(entry);
      return;
    }
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
    this.#lane.length = 0;
    this.#laneHead = 0;
  }

  peek(): DeadlineEntry | undefined {
    const top = this.#items[0];
    const first = this.#lane[this.#laneHead];
    if (first === undefined) return top;
    return top !== undefined && top.at < first.at ? top : first;
  }

  pop(): DeadlineEntry | undefined {
    const first = this.#lane[this.#laneHead];
    if (first !== undefined) {
      const top = this.#items[0];
      if (top === undefined || first.at <= top.at) return this.#shiftLane(first);
    }
    return this.#popHeap();
  }

  #shiftLane(first: DeadlineEntry): DeadlineEntry {
    const lane = this.#lane;
    this.#laneHead++;
    if (this.#laneHead === lane.length) {
      lane.length = 0;
      this.#laneHead = 0;
    } else if (this.#laneHead >= 64 && 2 * this.#laneHead >= lane.length) {
      lane.splice(0, this.#laneHead); // amortised: the taken half goes in one move
      this.#laneHead = 0;
    }
    return first;
  }

  #popHeap(): DeadlineEntry | undefined {
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
