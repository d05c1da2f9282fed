/**
 * Sends `count` messages with a bounded window and waits until all have arrived.
 * In flight = sent but not yet counted by the receiver; at most `window` of them,
 * and at most `window` send calls unresolved. The same pump drives Parley and the
 * reference, so both see the same flow control.
 */
import type { Counter } from './counter.ts';

export interface PumpOptions {
  count: number;
  window: number;
  received: Counter;
  /** Sends message i (0-based); rejects when it could not be sent. */
  send: (i: number) => Promise<unknown>;
  /** The run fails (the receiver's waits are rejected) after this long. */
  timeoutMs: number;
  what: string;
}

export class BenchTimeout extends Error {
  override name = 'BenchTimeout';
}

export async function pump(options: PumpOptions): Promise<void> {
  const { count, window, received, send } = options;
  const base = received.count;
  let outstanding = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const settle = () => {
    outstanding -= 1;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const timer = setTimeout(() => {
    received.fail(
      new BenchTimeout(
        `${options.what}: ${String(received.count - base)} of ${String(count)} messages arrived within ${String(options.timeoutMs)} ms`,
      ),
    );
  }, options.timeoutMs);
  try {
    for (let i = 0; i < count; i++) {
      if (i - (received.count - base) >= window) await received.until(base + i - window + 1);
      while (outstanding >= window) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (failure !== undefined) throw failure;
      outstanding += 1;
      send(i).then(settle, (err: unknown) => {
        failure ??= err instanceof Error ? err : new Error(String(err));
        received.fail(failure);
        settle();
      });
    }
    await received.until(base + count);
    while (outstanding > 0) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined) throw failure;
  } finally {
    clearTimeout(timer);
  }
}
