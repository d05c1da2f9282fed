/** A monotonic event counter one can await ("until the 2000th message has arrived"). */
export class Counter {
  #count = 0;
  #failure: Error | undefined;
  #waiters: { target: number; resolve: () => void; reject: (err: Error) => void }[] = [];

  get count(): number {
    return this.#count;
  }

  hit(): void {
    this.#count += 1;
    if (this.#waiters.length === 0) return;
    const due = this.#waiters.filter((w) => w.target <= this.#count);
    if (due.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.target > this.#count);
    for (const w of due) w.resolve();
  }

  /** Resolves once count >= target; rejects if the counter is failed first. */
  until(target: number): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#count >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ target, resolve, reject });
    });
  }

  /** Rejects every current and future wait (a timeout, a send that failed). */
  fail(err: Error): void {
    this.#failure ??= err;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.reject(this.#failure);
  }

  /** Accepts waits again after a failure (for the next run). */
  reset(): void {
    this.#failure = undefined;
  }
}
