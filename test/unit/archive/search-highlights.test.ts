import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openArchive } from '../../../main/core/archive/open.ts';
import { createMessageRepo } from '../../../main/core/archive/repos/messages.ts';
import { createSearchRepo } from '../../../main/core/archive/repos/search.ts';
import { assertHighlightsMatchTokens } from './highlight-fuzz.ts';
import { highlightRanges, parseQuery } from '../../../main/core/archive/search-text.ts';

const ALICE = 'alice@example.org';
const BOB = 'bob@example.org';

describe('archive/search-text (highlights in text mixing scripts)', () => {
  it('finds exactly what token matching finds in Chinese with English words, and in other scripts', () => {
    const pieces = [
      // ASCII words, in any case
      'the',
      'The',
      'THE',
      'them',
      'a',
      'budget',
      'Budgeted',
      'x1',
      'st',
      'ke',
      // CJK (one run each, or joined to the next piece), astral Han
      '北京',
      '开会',
      '明天',
      '々',
      'カタ',
      '한국',
      '𠀀',
      // separators outside ASCII: full-width punctuation, an emoji (astral), a no-break space
      '，',
      '。',
      '😀',
      '\u00a0',
      // word characters outside ASCII and CJK: the text then goes through the tokenizer
      'é',
      'e\u0301',
      '\u212a', // KELVIN SIGN, folds to k
      '\u017f', // LATIN SMALL LETTER LONG S, folds to s
      '\u0130', // LATIN CAPITAL LETTER I WITH DOT ABOVE (lower-cases to two characters)
      'дом',
    ];
    const gaps = [' ', '', '', ', ', '-', '\n'];
    const queries = [
      'the',
      'th',
      'a',
      'budget',
      'bud',
      '"the budget"',
      '"the the',
      'x1 st',
      'ke',
      'k',
      '北京',
      '"北京 开会"',
      'budget北京',
      'the 开会',
      'дом',
      'cafe',
    ];
    assertHighlightsMatchTokens({ seed: 29, texts: 600, maxPieces: 10, pieces, gaps, queries });
  });

  it('a CJK character ends an English word but never joins two words of a phrase', () => {
    const ranges = (text: string, query: string) => highlightRanges(text, parseQuery(query).terms);
    assert.deepEqual(ranges('明天meeting在北京', 'meet'), [[2, 6]]);
    assert.deepEqual(ranges('明天Meeting在北京', 'meeting'), [[2, 9]]);
    assert.deepEqual(ranges('hello北world', '"hello world"'), []);
    assert.deepEqual(ranges('Hello，World 北京', '"hello world"'), [[0, 11]]);
    assert.deepEqual(ranges('😀budget😀', 'budget'), [[2, 8]]);
    // Folding outside ASCII is left to the tokenizer: 'ſt' is 'st', 'K' (Kelvin) is 'k'.
    assert.deepEqual(ranges('北京 ſt', 'st'), [[3, 5]]);
    assert.deepEqual(ranges('北京 \u212a', 'k'), [[3, 4]]);
  });
});

describe('archive/search (repository: statements and parsed queries kept)', () => {
  it('gives the same hits for a repeated query, with new messages, other limits and pages', () => {
    const db = openArchive(':memory:');
    const messages = createMessageRepo(db);
    const search = createSearchRepo(db);
    let n = 0;
    const add = (body: string, direction: 'in' | 'out' = 'in') => {
      n++;
      const stored = messages.insert({
        account: ALICE,
        peer: BOB,
        direction,
        senderKey: `k${String(n)}`,
        body,
        timestamp: 1_000 * n,
        receivedAt: 1_000 * n,
        state: direction === 'in' ? 'received' : 'sent',
      });
      assert.ok(stored);
      return stored.id;
    };
    const ids = (query: string, options: { limit?: number; before?: number } = {}) =>
      search.search({ query, ...options }).map((h) => h.messageId);
    const first = add('budget review');
    const second = add('Budget meeting 北京', 'out');
    assert.deepEqual(ids('budget'), [second, first]);
    // Stored after the query was parsed once: still found (the index is flushed, the parse kept).
    const third = add('budget again');
    assert.deepEqual(ids('budget'), [third, second, first]);
    assert.deepEqual(ids('budget', { limit: 1 }), [third]);
    assert.deepEqual(ids('budget', { limit: 2 }), [third, second]);
    assert.deepEqual(ids('budget', { limit: 2, before: second }), [first]);
    assert.deepEqual(ids('budget', { limit: 0 }), [third], 'at least one');
    assert.deepEqual(ids('budget', { limit: Number.NaN }), [third, second, first], 'the default');
    // Many other queries in between: the oldest parsed ones are dropped, the results stay.
    for (let i = 0; i < 100; i++) assert.deepEqual(ids(`zz${String(i)}`), []);
    const hits = search.search({ query: 'budget 北京' });
    assert.deepEqual(
      hits.map((h) => [h.messageId, h.direction, h.accountId, h.peer, h.timestamp]),
      [[second, 'out', ALICE, BOB, 2_000]],
    );
    assert.deepEqual(hits[0]?.snippet, {
      text: 'Budget meeting 北京',
      highlights: [
        [0, 6],
        [15, 17],
      ],
    });
    assert.deepEqual(ids('budget'), [third, second, first]);
    db.close();
  });
});
