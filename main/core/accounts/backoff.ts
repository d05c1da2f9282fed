/**
 * Reconnect delays: exponential backoff with jitter, about 1 s up to 5 min,
 * reset once a connection has stayed up for a while.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export class Backoff {
  readonly #base: number;
  readonly #max: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#base = options.baseMs ?? 1000;
    this.#max = options.maxMs ?? 5 * 60_000;
    this.#random = options.random ?? Math.random;
  }

  get attempt(): number {
    return this.#attempt;
  }

  /** The next delay: the cap doubles each time, the delay is drawn from its upper half ("equal jitter"). */
  next(): number {
    const cap = Math.min(this.#max, this.#base * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.round(cap / 2 + this.#random() * (cap / 2));
  }

  reset(): void {
    this.#attempt = 0;
  }
}
