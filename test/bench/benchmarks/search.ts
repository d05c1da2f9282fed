/**
 * search: full-text search latency on a large archive, Parley's search against a bare FTS5
 * MATCH on the same database, same run.
 *
 * The archive: `--search-messages` (1,000,000) generated messages (two thirds English, one
 * third Chinese, some mixed; support/message-corpus.ts) stored through the app's own path
 * (openArchive + the messages repository, in transactions of 10,000), so the search index is
 * filled as it would be (rows queued by triggers, indexed in batches: archive/search-index.ts).
 * Its build rate is reported as a note (the `ingest` benchmark measures that properly).
 *
 * Queries: `--search-queries` (200) typical ones drawn from the corpus: common and rare words,
 * 2-4 letter prefixes (search as you type), Chinese 2- and 3-character substrings, Chinese
 * words, phrases, two words. Parley: `createSearchRepo(db).search({ query, limit: 50 })`, which
 * parses the query, runs the FTS5 query joined to the messages (newest first) and cuts a
 * highlighted snippet for each hit. Reference: `SELECT rowid FROM messages_fts WHERE
 * messages_fts MATCH ? ORDER BY rowid DESC LIMIT 50` with the same FTS5 expression (only a bare
 * MATCH on this index finds CJK substrings at all). Each query once to warm up, then
 * `--search-rounds` (3) rounds alternating who goes first. The figure is the 95th percentile
 * (lower is better; goal ratio <= 1.25, and under 50 ms); medians are reported as notes, as are
 * filtered searches (one account, one conversation, a month), which have no bare counterpart, and
 * a breakdown of Parley's time from a separate pass (the MATCH joined to the rows a hit shows;
 * parsing and snippets alone).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openArchive } from '../../../main/core/archive/open.ts';
import { createMessageRepo } from '../../../main/core/archive/repos/messages.ts';
import { createSearchRepo } from '../../../main/core/archive/repos/search.ts';
import { searchIndexer } from '../../../main/core/archive/search-index.ts';
import { parseQuery, snippet } from '../../../main/core/archive/search-text.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { createCorpus } from '../support/message-corpus.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, type BenchContext, type BenchResult } from '../types.ts';

const LIMIT = 50;
const GOAL_MS = 50;

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (v: number) => `${formatFigure(v)} ms`;

function measure(ctx: BenchContext): Promise<BenchResult> {
  return withCleanup(ctx, (cleanup) => measureWith(ctx, cleanup));
}

async function measureWith(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const count = ctx.intOption('search-messages', 1_000_000);
  const queryCount = ctx.intOption('search-queries', 200);
  const rounds = ctx.intOption('search-rounds', 3);

  const corpus = createCorpus(count);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-search-'));
  cleanup.defer('the archive folder', () => rm(dataDir, { recursive: true, force: true }));
  const db = openArchive(dataDir);
  cleanup.defer('the archive', () => {
    db.close();
  });
  const messages = createMessageRepo(db);
  const batch = 10_000;
  let building = 0;
  for (let i = 0; i < count; i += batch) {
    ctx.signal.throwIfAborted();
    const rows = corpus.slice(i, i + batch);
    const start = performance.now();
    db.transaction(() => {
      for (const m of rows) messages.insert(m);
    })();
    building += performance.now() - start;
  }
  const flushStart = performance.now();
  searchIndexer(db).flush(); // the last rows queued for the search index
  building += performance.now() - flushStart;
  const buildSeconds = building / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const stored = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()?.n ?? 0;
  ctx.note(
    `stored ${formatFigure(stored)} messages (duplicates dropped) with their index in ${buildSeconds.toFixed(1)} s: ${formatFigure(count / buildSeconds)} msgs/s`,
  );

  const size = db
    .prepare<[], { name: string; bytes: number }>(
      "SELECT CASE WHEN name LIKE 'messages_fts%' THEN 'index' ELSE 'rest' END AS name, sum(pgsize) AS bytes FROM dbstat GROUP BY 1",
    )
    .all();
  const mb = (name: string) => `${formatFigure((size.find((r) => r.name === name)?.bytes ?? 0) / 1e6)} MB`;
  ctx.note(`archive size: search index ${mb('index')}, everything else ${mb('rest')}`);

  const search = createSearchRepo(db);
  const bare = db.prepare<[string], { rowid: number }>(
    `SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ${String(LIMIT)}`,
  );
  const queries = corpus.queries(queryCount).map((query) => ({ query, match: parseQuery(query).match ?? '' }));
  if (queries.some((q) => q.match === '')) throw new Error('a benchmark query has nothing to search for');

  // Both must find the same messages: otherwise the comparison means nothing.
  let found = 0;
  for (const { query, match } of queries) {
    const a = search.search({ query, limit: LIMIT }).map((h) => h.messageId);
    const b = bare.all(match).map((r) => r.rowid);
    if (a.join() !== b.join()) throw new Error(`"${query}": Parley and the bare MATCH disagree`);
    if (a.length > 0) found++;
  }
  ctx.note(`${String(found)} of ${String(queries.length)} queries find something`);

  const parley: number[] = [];
  const reference: number[] = [];
  const slowest: { query: string; ms: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    ctx.signal.throwIfAborted();
    for (const { query, match } of queries) {
      const timeParley = () => {
        const start = performance.now();
        search.search({ query, limit: LIMIT });
        const took = performance.now() - start;
        parley.push(took);
        slowest.push({ query, ms: took });
      };
      const timeBare = () => {
        const start = performance.now();
        bare.all(match);
        reference.push(performance.now() - start);
      };
      if (round % 2 === 0) {
        timeParley();
        timeBare();
      } else {
        timeBare();
        timeParley();
      }
    }
  }
  const p95 = percentile(parley, 95);
  const refP95 = percentile(reference, 95);
  ctx.note(
    `parley: median ${ms(median(parley))}, p95 ${ms(p95)}, max ${ms(Math.max(...parley))} (n=${String(parley.length)})`,
  );
  ctx.note(
    `bare MATCH: median ${ms(median(reference))}, p95 ${ms(refP95)}, max ${ms(Math.max(...reference))}; median ratio ${(median(parley) / median(reference)).toFixed(2)}`,
  );
  ctx.note(`p95 ${p95 < GOAL_MS ? 'under' : 'OVER'} ${String(GOAL_MS)} ms`);
  slowest.sort((a, b) => b.ms - a.ms);
  ctx.note(
    `slowest: ${slowest
      .slice(0, 5)
      .map((s) => `${s.query} (${ms(s.ms)})`)
      .join(', ')}`,
  );

  // Where Parley's time goes (a separate pass after the figure, so it cannot change it): the same
  // MATCH joined to the columns a hit shows (Parley's statement), then parsing and snippets
  // alone on those rows, each query once per round, alternating with the bare MATCH.
  const rows = db
    .prepare<[string], [number, string, string, string, number, string]>(
      `SELECT m.id, m.account, m.peer, m.direction, m.timestamp, m.body
       FROM messages_fts AS f CROSS JOIN messages AS m ON m.id = f.rowid
       WHERE f.messages_fts MATCH ? ORDER BY f.rowid DESC LIMIT ${String(LIMIT)}`,
    )
    .raw();
  const bareAgain: number[] = [];
  const withRows: number[] = [];
  const inJs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    ctx.signal.throwIfAborted();
    for (const { query, match } of queries) {
      const timeBare = () => {
        const start = performance.now();
        bare.all(match);
        bareAgain.push(performance.now() - start);
      };
      const timeRows = () => {
        let start = performance.now();
        const found = rows.all(match);
        withRows.push(performance.now() - start);
        start = performance.now();
        const { terms } = parseQuery(query);
        for (const row of found) snippet(row[5], terms);
        inJs.push(performance.now() - start);
      };
      if (round % 2 === 0) {
        timeRows();
        timeBare();
      } else {
        timeBare();
        timeRows();
      }
    }
  }
  const us = (v: number) => `${formatFigure(v * 1000)} µs`;
  ctx.note(
    `breakdown (medians, separate pass): bare MATCH ${us(median(bareAgain))}; joined to the 50 rows a hit shows ${us(median(withRows))} (p95 ${ms(percentile(withRows, 95))}); parsing the query and 50 snippets ${us(median(inJs))} (p95 ${us(percentile(inJs, 95))})`,
  );

  // Filtered searches (no bare counterpart): one account, one conversation, one month.
  const account = corpus.accounts[0] ?? '';
  const peer = corpus.peers[Math.floor(corpus.peers.length / 2)] ?? '';
  const first = corpus.firstTimestamp;
  const last = corpus.lastTimestamp;
  const month = 30 * 24 * 3600 * 1000;
  const from = Math.floor((first + last) / 2);
  const filters = {
    account: { accountId: account },
    conversation: { accountId: account, peer },
    month: { from, to: from + month },
  };
  for (const [label, filter] of Object.entries(filters)) {
    const times: number[] = [];
    for (const { query } of queries) {
      const start = performance.now();
      search.search({ query, limit: LIMIT, ...filter });
      times.push(performance.now() - start);
    }
    ctx.note(`filtered by ${label}: median ${ms(median(times))}, p95 ${ms(percentile(times, 95))}`);
  }
  return { value: p95, reference: refP95 };
}

export default defineBenchmark({
  name: 'search',
  unit: 'ms',
  goal: 1.25,
  better: 'lower',
  description: 'p95 latency of a full-text search on a large archive, against a bare FTS5 MATCH on the same database',
  options: {
    'search-messages': 'messages in the archive (default 1000000)',
    'search-queries': 'distinct queries (default 200)',
    'search-rounds': 'timed passes over the queries (default 3)',
  },
  run: measure,
});
