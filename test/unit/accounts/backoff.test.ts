import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from '../../../main/core/accounts/backoff.ts';

describe('accounts/backoff', () => {
  it('doubles from about 1 s up to 5 min, with jitter in the upper half', () => {
    const low = new Backoff({ random: () => 0 });
    const high = new Backoff({ random: () => 1 });
    const lows = Array.from({ length: 12 }, () => low.next());
    const highs = Array.from({ length: 12 }, () => high.next());
    assert.deepEqual(highs.slice(0, 4), [1000, 2000, 4000, 8000]);
    assert.deepEqual(lows.slice(0, 4), [500, 1000, 2000, 4000]);
    assert.equal(highs.at(-1), 300_000, 'capped at 5 minutes');
    assert.equal(lows.at(-1), 150_000);
  });

  it('starts over after a reset', () => {
    const b = new Backoff({ random: () => 1 });
    b.next();
    b.next();
    b.reset();
    assert.equal(b.next(), 1000);
  });
});
