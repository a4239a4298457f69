// pystematic's Counter (seeds era): a step count to keep in a Context's state. Unlike the original,
// assigning `count` works.

export interface CounterState {
  count: number;
}

export class Counter {
  #count = 0;

  get count(): number {
    return this.#count;
  }

  set count(value: number) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`Counter count must be a non-negative integer, got ${String(value)}`);
    }
    this.#count = value;
  }

  /** Advances the count by one (and returns the new count). */
  step(): number {
    return ++this.#count;
  }

  stateDict(): CounterState {
    return { count: this.#count };
  }

  loadStateDict(state: CounterState): void {
    if (typeof state !== "object" || state === null || !("count" in state)) {
      throw new Error("Counter state must be an object with a 'count'");
    }
    this.count = Number(state.count);
  }
}
