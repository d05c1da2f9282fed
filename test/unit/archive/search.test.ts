import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { commands } from '../../../preload/contract.ts';
import { migrate, migrations } from '../../../main/core/archive/migrations/index.ts';
import { openArchive, type Db } from '../../../main/core/archive/open.ts';
import { createMessageRepo, type NewMessage } from '../../../main/core/archive/repos/messages.ts';
import { createSearchRepo, type SearchOptions } from '../../../main/core/archive/repos/search.ts';
import { indexText, parseQuery, snippet, timeCover } from '../../../main/core/archive/search-text.ts';
import { dayEnd, dayStart, pieces } from '../../../renderer/features/search/marks.ts';

const ALICE = 'alice@example.org';
const BOB = 'bob@example.org';
const CAROL = 'carol@example.org';
const DAVE = 'dave@example.org';

function archive() {
  const db = openArchive(':memory:');
  const messages = createMessageRepo(db);
  const search = createSearchRepo(db);
  let n = 0;
  const add = (body: string, extra: Partial<NewMessage> = {}) => {
    n++;
    const stored = messages.insert({
      account: ALICE,
      peer: BOB,
      direction: 'in',
      senderKey: `k${String(n)}`,
      body,
      timestamp: 1_000 * n,
      receivedAt: 1_000 * n,
      state: 'received',
      ...extra,
    });
    assert.ok(stored);
    return stored.id;
  };
  const find = (query: string, options: Omit<SearchOptions, 'query'> = {}) =>
    search.search({ query, ...options }).map((h) => h.messageId);
  return { db, messages, search, add, find };
}

/** The highlighted parts of a hit's snippet. */
const marked = (s: { text: string; highlights: [number, number][] }) =>
  s.highlights.map(([a, b]) => s.text.slice(a, b));

describe('archive/search (FTS5)', () => {
  it('finds English words, prefixes and phrases, ANDing words', () => {
    const { add, find } = archive();
    const fox = add('The quick brown fox jumps over the lazy dog');
    const cat = add('A quick cat naps');
    assert.deepEqual(find('quick'), [cat, fox], 'newest first');
    assert.deepEqual(find('QUICK fox'), [fox]);
    assert.deepEqual(find('jum'), [fox], 'prefix');
    assert.deepEqual(find('ju'), [fox], 'two letters are a prefix');
    assert.deepEqual(find('j'), [], 'one letter is a whole word');
    assert.deepEqual(find('a'), [cat]);
    assert.deepEqual(find('"quick brown"'), [fox]);
    assert.deepEqual(find('"brown quick"'), []);
    assert.deepEqual(find('"quick bro"'), [], 'a closed phrase is exact');
    assert.deepEqual(find('"quick bro'), [fox], 'an unclosed phrase (still typing) ends with a prefix');
    assert.deepEqual(find('quick elephant'), []);
  });

  it('folds case and diacritics both ways', () => {
    const { add, find } = archive();
    const cafe = add('Un café à Zürich, São Paulo');
    const plain = add('cafe in zurich');
    assert.deepEqual(find('cafe'), [plain, cafe]);
    assert.deepEqual(find('CAFÉ'), [plain, cafe]);
    assert.deepEqual(find('zurich'), [plain, cafe]);
    assert.deepEqual(find('sao paulo'), [cafe]);
  });

  it('finds Chinese by any substring of two or more characters, not by other orders', () => {
    const { add, find } = archive();
    const meeting = add('我们明天去北京开会');
    const other = add('北方的天气很冷');
    assert.deepEqual(find('北京'), [meeting]);
    assert.deepEqual(find('明天去'), [meeting]);
    assert.deepEqual(find('我们明天去北京开会'), [meeting], 'the whole text');
    assert.deepEqual(find('开会'), [meeting], 'at the end');
    assert.deepEqual(find('我们'), [meeting], 'at the start');
    assert.deepEqual(find('京北'), []);
    assert.deepEqual(find('去开会'), []);
    assert.deepEqual(find('北'), [other, meeting], 'one character: anywhere');
    assert.deepEqual(find('会'), [meeting], 'one character at the end of a run');
    assert.deepEqual(find('北京 开会'), [meeting], 'two substrings, ANDed');
    assert.deepEqual(find('天气'), [other]);
  });

  it('finds Japanese and Korean substrings too', () => {
    const { add, find } = archive();
    const ja = add('日本語のテキストです');
    const ko = add('안녕하세요 반갑습니다');
    assert.deepEqual(find('テキス'), [ja]);
    assert.deepEqual(find('語の'), [ja]);
    assert.deepEqual(find('하세'), [ko]);
    assert.deepEqual(find('반갑'), [ko]);
    assert.deepEqual(find('세안'), []);
  });

  it('handles text mixing scripts', () => {
    const { add, find } = archive();
    const mixed = add('明天的meeting在Room 3B，记得带laptop和充电器');
    assert.deepEqual(find('meeting'), [mixed]);
    assert.deepEqual(find('明天 laptop'), [mixed]);
    assert.deepEqual(find('充电'), [mixed]);
    assert.deepEqual(find('的meeting'), [mixed], 'CJK then Latin in one word');
    assert.deepEqual(find('meeting在'), [mixed], 'Latin then CJK in one word');
    assert.deepEqual(find('"meeting在Room"'), [mixed], 'a phrase across scripts');
    assert.deepEqual(find('"天的meeting"'), [mixed], 'a phrase starting inside a CJK run');
    assert.deepEqual(find('"明天 meeting"'), [], 'the run does not end there');
    assert.deepEqual(find('room 3b'), [mixed]);
  });

  it('filters by account, peer and time range', () => {
    const { add, find } = archive();
    const a1 = add('lunch at noon', { timestamp: 100 });
    const a2 = add('lunch tomorrow', { peer: CAROL, timestamp: 200 });
    const b1 = add('lunch later', { account: DAVE, timestamp: 300 });
    const b2 = add('lunch with bob', { account: DAVE, peer: BOB, direction: 'out', state: 'sent', timestamp: 400 });
    assert.deepEqual(find('lunch'), [b2, b1, a2, a1]);
    assert.deepEqual(find('lunch', { accountId: ALICE }), [a2, a1]);
    assert.deepEqual(find('lunch', { accountId: ALICE, peer: BOB }), [a1]);
    assert.deepEqual(find('lunch', { peer: BOB }), [b2, b1, a1]);
    assert.deepEqual(find('lunch', { accountId: DAVE, peer: BOB }), [b2, b1]);
    assert.deepEqual(find('lunch', { accountId: 'nobody@example.org' }), []);
    assert.deepEqual(find('lunch', { from: 200 }), [b2, b1, a2], 'from is inclusive');
    assert.deepEqual(find('lunch', { to: 300 }), [b1, a2, a1], 'to is inclusive');
    assert.deepEqual(find('lunch', { from: 150, to: 350, accountId: DAVE }), [b1]);
  });

  it('filters by dates across months and years, bounds included', () => {
    const { add, find } = archive();
    const at = (iso: string) => Date.parse(iso);
    const old = add('report draft', { timestamp: at('2019-03-15T12:00:00Z') });
    const endOf2020 = add('report final', { timestamp: at('2020-12-31T23:59:59.999Z') });
    const mid = add('report review', { timestamp: at('2022-06-01T00:00:00Z') });
    const recent = add('report sent', { timestamp: at('2024-02-29T08:00:00Z') });
    // Stored late (a catch-up): ids are not in time order.
    const late = add('report from the archive', { timestamp: at('2018-01-01T00:00:00Z') });
    assert.deepEqual(find('report', { from: at('2020-12-31T23:59:59.999Z'), to: at('2022-06-01T00:00:00Z') }), [
      mid,
      endOf2020,
    ]);
    assert.deepEqual(find('report', { to: at('2019-12-31T00:00:00Z') }), [late, old], 'open start');
    assert.deepEqual(find('report', { from: at('2022-01-01T00:00:00Z') }), [recent, mid], 'open end');
    assert.deepEqual(find('report', { from: at('2024-02-01T00:00:00Z'), to: at('2024-02-29T23:59:59Z') }), [recent]);
    assert.deepEqual(find('report', { from: at('2010-01-01T00:00:00Z'), to: at('2030-01-01T00:00:00Z') }), [
      late,
      recent,
      mid,
      endOf2020,
      old,
    ]);
    assert.deepEqual(find('report', { from: 5, to: 4 }), [], 'an empty range');
    assert.deepEqual(find('report', { to: 8.64e15 }).length, 5, 'a range too wide to cover');
    const bogus = add('report from before the epoch', { timestamp: -5_000 });
    assert.deepEqual(find('report', { to: at('2019-01-01T00:00:00Z') }), [bogus, late]);
  });

  it('covers a date range with month and year tokens', () => {
    const at = (iso: string) => Date.parse(iso);
    assert.deepEqual(timeCover(at('2024-01-15T00:00:00Z'), at('2024-03-01T00:00:00Z')), [
      'm202401',
      'm202402',
      'm202403',
    ]);
    assert.deepEqual(timeCover(at('2019-11-02T00:00:00Z'), at('2022-02-01T00:00:00Z')), [
      'm201911',
      'm201912',
      'y2020',
      'y2021',
      'm202201',
      'm202202',
    ]);
    assert.equal(timeCover(at('2019-11-02T00:00:00Z'), undefined), undefined);
    assert.equal(timeCover(undefined, at('2000-06-01T00:00:00Z'))?.[0], 'y1970');
    assert.deepEqual(timeCover(10, 5), []);
    assert.equal(timeCover(0, 8.64e15), undefined, 'the end of time: no cover, the exact filter alone');
  });

  it('reports who, when and which way for each hit', () => {
    const { add, search } = archive();
    const id = add('see you', { account: DAVE, peer: CAROL, direction: 'out', state: 'sent', timestamp: 1234 });
    assert.deepEqual(search.search({ query: 'see' }), [
      {
        messageId: id,
        accountId: DAVE,
        peer: CAROL,
        direction: 'out',
        timestamp: 1234,
        snippet: { text: 'see you', highlights: [[0, 3]] },
      },
    ]);
  });

  it('pages newest first with `before`', () => {
    const { add, search } = archive();
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(add(`note number ${String(i)}`));
    add('something else');
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = search.search({ query: 'note', limit: 3, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      assert.ok(page.length <= 3);
      seen.push(...page.map((h) => h.messageId));
      before = page.at(-1)?.messageId;
    }
    assert.deepEqual(seen, [...ids].reverse());
    assert.equal(search.search({ query: 'note', limit: 1000 }).length, 7, 'the limit is clamped, not refused');
  });

  it('returns nothing for an empty or blank query', () => {
    const { add, find } = archive();
    add('anything');
    assert.deepEqual(find(''), []);
    assert.deepEqual(find('   \t\n'), []);
    assert.deepEqual(find('""'), []);
    assert.equal(parseQuery('  ').match, undefined);
  });

  it('never lets user input become FTS5 syntax', () => {
    const { db, add, find } = archive();
    const star = add('a star * and a "quote" and NEAR(x y) or NOT this - that ^ col:umn');
    const hostile = [
      '"',
      '""',
      '"""',
      '*',
      '**',
      'a*',
      '*a',
      'NEAR(',
      'NEAR(a b',
      'NEAR(x y)',
      '-',
      '-that',
      '^',
      '^star',
      ':',
      'col:umn',
      'body:star',
      'scope:x',
      '{body}: star',
      '(',
      ')',
      '(star',
      'AND',
      'OR',
      'NOT',
      'star AND',
      'OR star',
      'star NOT this',
      '+',
      '"unbalanced',
      'un"balanced',
      'a"b"c"d',
      '\\',
      "'",
      '\u0000',
      '\u{1F600}',
      '\u0301',
      'x'.repeat(10_000),
      '"'.repeat(10_000),
      'a '.repeat(5_000),
      '北'.repeat(10_000),
      'NEAR('.repeat(2_000),
    ];
    for (const q of hostile) {
      assert.doesNotThrow(() => find(q), q.slice(0, 40));
      const { match } = parseQuery(q);
      if (match !== undefined)
        assert.doesNotThrow(
          () => db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?').all(match),
          q.slice(0, 40),
        );
    }
    assert.deepEqual(find('NEAR(x y)'), [star], 'operators are words');
    assert.deepEqual(find('NOT this'), [star]);
    assert.deepEqual(find('col:umn'), [star]);
    assert.deepEqual(find('scope:x'), [], 'the scope column cannot be searched');
    // Random printable noise.
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'ab "*^:-()+{}NEAR OR AND 北京é\\\'.,\u3000';
    for (let i = 0; i < 300; i++) {
      const q = Array.from(
        { length: 1 + Math.floor(rnd() * 20) },
        () => alphabet[Math.floor(rnd() * alphabet.length)],
      ).join('');
      assert.doesNotThrow(() => find(q), q);
    }
  });

  it('highlights matches in the original text, not in the indexed form', () => {
    const { search, add } = archive();
    add('我们明天去北京开会');
    add('Hello World, Café au lait');
    add('明天的meeting在Room 3B');
    const hit = (query: string) => {
      const found = search.search({ query })[0];
      assert.ok(found, query);
      return found.snippet;
    };
    assert.deepEqual(hit('北京'), { text: '我们明天去北京开会', highlights: [[5, 7]] });
    assert.deepEqual(marked(hit('明天去')), ['明天去']);
    assert.deepEqual(marked(hit('北京 我们')), ['我们', '北京']);
    assert.deepEqual(marked(hit('hel')), ['Hel'], 'a prefix marks what matched');
    assert.deepEqual(marked(hit('cafe')), ['Café']);
    assert.deepEqual(marked(hit('"hello world"')), ['Hello World']);
    assert.deepEqual(marked(hit('meeting在')), ['meeting在']);
    assert.deepEqual(marked(hit('room 3b')), ['Room', '3B']);
  });

  it('cuts long bodies into a snippet around the first match', () => {
    const long = `${'lorem ipsum dolor '.repeat(30)}needle in the haystack ${'sit amet '.repeat(30)}`;
    const s = snippet(long, parseQuery('needle haystack').terms);
    assert.ok(s.text.length <= 162, String(s.text.length));
    assert.ok(s.text.startsWith('…') && s.text.endsWith('…'));
    assert.deepEqual(marked(s), ['needle', 'haystack']);
    // Astral characters are never cut in half.
    const emoji = `${'😀'.repeat(100)} target ${'😀'.repeat(100)}`;
    const e = snippet(emoji, parseQuery('target').terms);
    assert.ok(!/^…?[\udc00-\udfff]/u.test(e.text) && !/[\ud800-\udbff]…?$/u.test(e.text));
    assert.deepEqual(marked(e), ['target']);
    // Nothing matched in JS (e.g. a folding difference): the start of the text, unmarked.
    assert.deepEqual(snippet('short', parseQuery('zzz').terms), { text: 'short', highlights: [] });
  });

  it('indexes CJK runs as overlapping bigrams plus their last character', () => {
    assert.equal(indexText('plain text'), 'plain text');
    assert.equal(indexText('我们明天'), ' 我们 们明 明天 天 ');
    assert.equal(indexText('abc北def'), 'abc 北 def');
    assert.equal(indexText('𠀀𠀁'), ' 𠀀𠀁 𠀁 ', 'astral Han characters stay whole');
  });

  it('keeps the index in step with deletes and edits', () => {
    const { db, add, find, messages } = archive();
    const keep = add('budget meeting');
    const gone = add('budget review');
    db.prepare('DELETE FROM messages WHERE id = ?').run(gone);
    assert.deepEqual(find('budget'), [keep]);
    db.prepare("UPDATE messages SET body = '预算会议' WHERE id = ?").run(keep);
    assert.deepEqual(find('budget'), []);
    assert.deepEqual(find('预算'), [keep]);
    // State changes (the outbox) do not touch the index.
    const out = add('outgoing budget', { direction: 'out', state: 'queued' });
    messages.advance(out, 'sent');
    assert.deepEqual(find('budget'), [out]);
    messages.removeAccount(ALICE);
    assert.deepEqual(find('outgoing'), []);
    assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages_fts').get()?.n, 0);
  });

  it('migration 0005 indexes the messages already stored', () => {
    const db: Db = new Database(':memory:');
    const before = migrations.filter((m) => m.version < 5);
    migrate(db, before);
    db.prepare(
      `INSERT INTO messages (account, peer, direction, sender_key, body, timestamp, received_at, state)
       VALUES ('a@x', 'b@x', 'in', 'k1', '旧消息 old message', 1, 1, 'received'),
              ('a@x', 'c@x', 'out', 'k2', 'another old one', 2, 2, 'sent')`,
    ).run();
    migrate(db);
    assert.equal(db.pragma('user_version', { simple: true }), migrations.at(-1)?.version);
    const search = createSearchRepo(db);
    assert.deepEqual(
      search.search({ query: 'old' }).map((h) => h.peer),
      ['c@x', 'b@x'],
    );
    assert.deepEqual(
      search.search({ query: '消息', accountId: 'a@x', peer: 'b@x' }).map((h) => h.peer),
      ['b@x'],
    );
    // New rows on this connection are indexed by the triggers.
    db.prepare(
      `INSERT INTO messages (account, peer, direction, sender_key, body, timestamp, received_at, state)
       VALUES ('a@x', 'b@x', 'in', 'k3', 'brand new', 3, 3, 'received')`,
    ).run();
    assert.equal(search.search({ query: 'brand' }).length, 1);
  });

  it('scope tokens: account, conversation, peer, year and month (without a timestamp: the first three)', () => {
    const db = openArchive(':memory:');
    const scope = (sql: string) => db.prepare<[], { s: string }>(sql).get()?.s.split(' ') ?? [];
    const full = scope(`SELECT parley_search_scope('a@x', 'b@x', ${String(Date.UTC(2024, 4, 1))}) AS s`);
    assert.equal(full.length, 5);
    assert.deepEqual(full.slice(3), ['y2024', 'm202405']);
    // A draft of migration 0005 left triggers that pass two arguments: they must still work.
    assert.deepEqual(scope("SELECT parley_search_scope('a@x', 'b@x') AS s"), full.slice(0, 3));
  });

  it('loads a conversation around a message', () => {
    const { add, messages } = archive();
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(add(`m${String(i)}`));
    add('elsewhere', { peer: CAROL });
    const around = messages.around(ALICE, BOB, ids[5] ?? 0, 2, 3);
    assert.deepEqual(
      around.map((m) => m.body),
      ['m3', 'm4', 'm5', 'm6', 'm7', 'm8'],
    );
    assert.deepEqual(
      messages.around(ALICE, BOB, ids[0] ?? 0, 5, 1).map((m) => m.body),
      ['m0', 'm1'],
    );
    assert.deepEqual(
      messages.around(ALICE, BOB, ids[9] ?? 0, 1, 5).map((m) => m.body),
      ['m8', 'm9'],
    );
  });

  it('contract: bounded, strict inputs', () => {
    const search = commands['search.messages'].input;
    assert.ok(search.safeParse({ query: 'x' }).success);
    assert.ok(
      search.safeParse({ query: 'x', accountId: ALICE, peer: BOB, from: 0, to: 5, limit: 200, before: 9 }).success,
    );
    assert.ok(!search.safeParse({ query: 'x'.repeat(501) }).success);
    assert.ok(!search.safeParse({ query: 'x', limit: 0 }).success);
    assert.ok(!search.safeParse({ query: 'x', limit: 201 }).success);
    assert.ok(!search.safeParse({ query: 'x', peer: 'not a jid' }).success);
    assert.ok(!search.safeParse({ query: 'x', extra: 1 }).success);
    const around = commands['messages.around'].input;
    assert.ok(around.safeParse({ accountId: ALICE, peer: BOB, messageId: 1, before: 200, after: 0 }).success);
    assert.ok(!around.safeParse({ accountId: ALICE, peer: BOB, messageId: 1, before: 201 }).success);
    assert.ok(!around.safeParse({ accountId: ALICE, peer: BOB }).success);
  });
});

describe('renderer/features/search: marks from highlight ranges', () => {
  it('cuts the text into plain and marked pieces, keeping all of it', () => {
    assert.deepEqual(pieces({ text: '我们明天去北京开会', highlights: [[5, 7]] }), [
      { text: '我们明天去', mark: false },
      { text: '北京', mark: true },
      { text: '开会', mark: false },
    ]);
    assert.deepEqual(pieces({ text: 'abc', highlights: [] }), [{ text: 'abc', mark: false }]);
    assert.deepEqual(pieces({ text: 'abc', highlights: [[0, 3]] }), [{ text: 'abc', mark: true }]);
  });

  it('survives ranges that are unsorted, overlapping, empty or out of bounds', () => {
    const text = 'hello world';
    for (const highlights of [
      [
        [6, 11],
        [0, 5],
      ],
      [
        [0, 8],
        [3, 11],
      ],
      [
        [4, 4],
        [20, 30],
      ],
      [[0, 999]],
    ] as [number, number][][]) {
      const out = pieces({ text, highlights });
      assert.equal(out.map((p) => p.text).join(''), text, JSON.stringify(highlights));
      assert.ok(out.every((p) => p.text.length > 0));
    }
  });

  it('turns date inputs into an inclusive range of local days', () => {
    const from = dayStart('2024-05-01');
    const to = dayEnd('2024-05-01');
    assert.ok(from !== undefined && to !== undefined);
    assert.equal(new Date(from).getDate(), 1);
    assert.equal(new Date(to).getDate(), 1);
    assert.equal(new Date(to + 1).getDate(), 2);
    assert.equal(dayStart(''), undefined);
    assert.equal(dayStart('yesterday'), undefined);
  });
});
