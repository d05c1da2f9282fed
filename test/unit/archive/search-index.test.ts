import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { openArchive, type Db } from '../../../main/core/archive/open.ts';
import { createArchiveSyncRepo, SYNC_POINT_DELAY_MS } from '../../../main/core/archive/repos/archive-sync.ts';
import { createMessageRepo, type NewMessage } from '../../../main/core/archive/repos/messages.ts';
import { createSearchRepo } from '../../../main/core/archive/repos/search.ts';
import { INDEX_DELAY_MS, MAX_PENDING, searchIndexer } from '../../../main/core/archive/search-index.ts';
import { assertHighlightsMatchTokens } from './highlight-fuzz.ts';
import { highlightRanges, parseQuery } from '../../../main/core/archive/search-text.ts';

const ALICE = 'alice@example.org';
const BOB = 'bob@example.org';

const message = (n: number, body: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  account: ALICE,
  peer: BOB,
  direction: 'in',
  senderKey: `k${String(n)}`,
  stanzaId: `s${String(n)}`,
  body,
  timestamp: 1_000 * n,
  receivedAt: 1_000 * n,
  state: 'received',
  ...extra,
});

const queued = (db: Db) =>
  db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages_fts_pending').get()?.n ?? -1;
const indexed = (db: Db) => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages_fts').get()?.n ?? -1;

describe('archive/search-index (batched full-text indexing)', () => {
  it('stores a page in one transaction: duplicates are undefined, in order, and queued once', () => {
    const db = openArchive(':memory:');
    const messages = createMessageRepo(db);
    const page = [
      message(1, 'one'),
      message(2, 'two'),
      message(1, 'one again'),
      message(3, 'three', { stanzaId: 's2' }),
    ];
    const stored = messages.insertMany(page);
    assert.deepEqual(
      stored.map((m) => m?.body),
      ['one', 'two', undefined, undefined],
      'same sender identity, then same archive id',
    );
    assert.equal(queued(db), 2);
    assert.equal(indexed(db), 0);
    assert.deepEqual(messages.insertMany([message(1, 'one')]), [undefined]);
    db.close();
  });

  it('a page that fails is not stored at all (one transaction)', () => {
    const db = openArchive(':memory:');
    const messages = createMessageRepo(db);
    const bad = { ...message(2, 'two'), state: 'bogus' } as unknown as NewMessage;
    assert.throws(() => messages.insertMany([message(1, 'one'), bad]), /CHECK/);
    assert.deepEqual(messages.list(ALICE, BOB), []);
    assert.equal(queued(db), 0);
    db.close();
  });

  it('indexes the queue once it is full (inside the writer’s transaction), a moment later, or before a search', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const db = openArchive(':memory:');
      const messages = createMessageRepo(db);
      const search = createSearchRepo(db);
      // A moment after the first write.
      messages.insert(message(1, 'alpha budget'));
      assert.equal(queued(db), 1);
      mock.timers.tick(INDEX_DELAY_MS);
      assert.equal(queued(db), 0);
      assert.equal(indexed(db), 1);
      // Before a search.
      messages.insert(message(2, 'beta budget'));
      assert.equal(queued(db), 1);
      assert.deepEqual(
        search.search({ query: 'budget' }).map((h) => h.snippet.text),
        ['beta budget', 'alpha budget'],
      );
      assert.equal(queued(db), 0);
      // A full queue, within the page that fills it: the index is part of that commit.
      const page: NewMessage[] = [];
      for (let i = 0; i < MAX_PENDING; i++) page.push(message(10 + i, `bulk ${String(i)}`));
      messages.insertMany(page);
      assert.equal(queued(db), 0);
      assert.equal(indexed(db), MAX_PENDING + 2);
      // Nothing scheduled once the database is closed.
      messages.insert(message(5_000, 'last words'));
      db.close();
      assert.doesNotThrow(() => {
        mock.timers.tick(INDEX_DELAY_MS);
      });
    } finally {
      mock.timers.reset();
    }
  });

  it('a reopened archive indexes what an earlier run left queued', () => {
    const db = openArchive(':memory:');
    const messages = createMessageRepo(db);
    messages.insert(message(1, 'left over'));
    assert.equal(queued(db), 1);
    // openArchive flushes at start; the same on an existing connection:
    assert.equal(searchIndexer(db).flush(), 1);
    assert.equal(searchIndexer(db).flush(), 0);
    assert.equal(indexed(db), 1);
    db.close();
  });
});

describe('archive/archive-sync (XEP-0313 sync point)', () => {
  it('writes a sync point moved by live messages a moment later, reads it at once', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const db = openArchive(':memory:');
      const sync = createArchiveSyncRepo(db);
      const onDisk = () =>
        db.prepare<[string], { last_id: string }>('SELECT last_id FROM archive_sync WHERE account = ?').get(ALICE)
          ?.last_id;
      sync.save(ALICE, 'page-end', 1);
      assert.equal(onDisk(), 'page-end');
      sync.advance(ALICE, 'live-1', 2);
      sync.advance(ALICE, 'live-2', 3);
      assert.equal(sync.lastId(ALICE), 'live-2');
      assert.equal(onDisk(), 'page-end', 'an older sync point is still a true one');
      mock.timers.tick(SYNC_POINT_DELAY_MS);
      assert.equal(onDisk(), 'live-2');
      // A page stored later wins; clearing forgets what was not written.
      sync.advance(ALICE, 'live-3', 4);
      sync.save(ALICE, 'page-2', 5);
      mock.timers.tick(SYNC_POINT_DELAY_MS);
      assert.equal(onDisk(), 'page-2');
      sync.advance(ALICE, 'live-4', 6);
      sync.clear(ALICE);
      assert.equal(sync.lastId(ALICE), undefined);
      mock.timers.tick(SYNC_POINT_DELAY_MS);
      assert.equal(onDisk(), undefined);
      // Shutdown writes what is pending.
      sync.advance(ALICE, 'live-5', 7);
      sync.flush();
      assert.equal(onDisk(), 'live-5');
      db.close();
    } finally {
      mock.timers.reset();
    }
  });
});

describe('archive/search-text (highlights without tokenizing)', () => {
  it('finds exactly what token matching finds', () => {
    assertHighlightsMatchTokens({
      seed: 11,
      texts: 400,
      maxPieces: 12,
      pieces: ['the', 'The', 'THE', 'them', 'a', 'an', 'budget', 'Budgeted', 'x1', '3b', 'b3', 'quick', 'qu'],
      gaps: [' ', ', ', '-', '.', '  ', '\n', '_', "'", '(', ')', '*', '', '0'],
      queries: ['the', 'th', 'a', 'budget', 'bud', '"the the"', '"the budget', 'x1 3b', '"a an a"', 'qu', 'b'],
    });
    // Chinese, mixed and accented text: CJK substrings by string search, the rest by tokens.
    const zh = [
      '我们',
      '明天',
      '北京',
      '开会',
      '哈',
      '哈哈',
      'meeting',
      'Café',
      'cafe',
      '，',
      ' ',
      '々',
      'ー',
      'カタカナ',
      '한국',
    ];
    const zhQueries = [
      '北京',
      '明天去',
      '哈哈',
      '哈',
      '"北京 开会"',
      'meeting在',
      'cafe',
      '们明',
      'カタ',
      '한국',
      'me',
    ];
    assertHighlightsMatchTokens({
      seed: 12,
      texts: 400,
      maxPieces: 10,
      pieces: zh,
      gaps: [' ', ', ', '-', '.', '  ', '\n', '_', "'", '(', ')', '*', '', '0'],
      gapChance: 0.3,
      queries: zhQueries,
    });
    // Overlapping occurrences of a phrase are all marked.
    assert.deepEqual(highlightRanges('a a a', parseQuery('"a a"').terms), [[0, 5]]);
    // A term that cannot occur in ASCII text (Chinese, a folded non-ASCII letter) marks nothing.
    assert.deepEqual(highlightRanges('plain text', parseQuery('北京 straße').terms), []);
  });
});
