/**
 * ingest: messages per second stored in the archive in batches, as a catch-up from the server
 * archive or an import stores them, against a bare better-sqlite3 insert of the same rows into
 * a plain table, same run.
 *
 * Parley: a fresh archive (openArchive: WAL, its pragmas, every migration), the messages
 * repository's insertMany: the same inserts in one transaction per batch, as the catch-up stores
 * the pages of the server archive it receives (identity de-duplication through the hash indexes
 * of migration 0017, the lookup indexes, the rows queued for the full-text index, indexed in
 * batches of MAX_PENDING), in batches of `--ingest-batch` messages (ARCHIVE_BATCH_MAX, 500: the
 * catch-up holds Prosody's pages of 50 until ten of them or 250 ms); the index of the last rows
 * still queued is part of the time. Reference: a fresh database with the same journal settings and one
 * plain table with the same columns, no index, the same rows in the same transactions.
 * The rows: `--ingest-messages` (100,000) generated messages (support/message-corpus.ts, ~1%
 * re-delivered duplicates). Rounds (`--ingest-rounds`, 3) alternate who goes first; medians are
 * reported. Higher is better; goal ratio >= 0.5. A note says what the search index costs: one
 * more Parley run with its triggers dropped; another gives the rate of the bare insert plus a
 * bare FTS5 index of the same bodies, the ceiling for any design that indexes as it stores.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openArchive } from '../../../main/core/archive/open.ts';
import { ARCHIVE_BATCH_MAX, createMessageRepo, type NewMessage } from '../../../main/core/archive/repos/messages.ts';
import { searchIndexer } from '../../../main/core/archive/search-index.ts';
import { withCleanup, type Cleanup } from '../support/cleanup.ts';
import { createCorpus } from '../support/message-corpus.ts';
import { formatFigure, median } from '../support/stats.ts';
import { defineBenchmark, type BenchContext, type BenchResult } from '../types.ts';

function measure(ctx: BenchContext): Promise<BenchResult> {
  return withCleanup(ctx, (cleanup) => measureWith(ctx, cleanup));
}

function batches(rows: readonly NewMessage[], size: number): NewMessage[][] {
  const out: NewMessage[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function measureWith(ctx: BenchContext, cleanup: Cleanup): Promise<BenchResult> {
  const count = ctx.intOption('ingest-messages', 100_000);
  const batchSize = ctx.intOption('ingest-batch', ARCHIVE_BATCH_MAX);
  const rounds = ctx.intOption('ingest-rounds', 3);
  const rows = batches(createCorpus(count).slice(0, count), batchSize);

  const root = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-ingest-'));
  cleanup.defer('the data folders', () => rm(root, { recursive: true, force: true }));
  let runs = 0;
  const folder = () => path.join(root, String(++runs));

  /** Parley's rate (msgs/s) into a fresh archive; `withoutSearch` drops the search triggers first. */
  const parley = (withoutSearch = false): number => {
    const dir = folder();
    const db = openArchive(dir);
    try {
      if (withoutSearch)
        db.exec(
          'DROP TRIGGER messages_fts_insert; DROP TRIGGER messages_fts_delete; DROP TRIGGER messages_fts_update;',
        );
      const repo = createMessageRepo(db);
      const start = performance.now();
      for (const batch of rows) {
        ctx.signal.throwIfAborted();
        repo.insertMany(batch);
      }
      // What is still queued for the search index is part of the work.
      searchIndexer(db).flush();
      return count / ((performance.now() - start) / 1000);
    } finally {
      db.close();
    }
  };

  /**
   * better-sqlite3 alone: the same rows into one plain table, same journal settings. With
   * `withFts`, each body also goes into a bare contentless FTS5 table (unicode61, none of the
   * app's prefix indexes, scope tokens or CJK bigrams) in the same statement's transaction: the
   * least any design pays that indexes the text as it stores it (a note, not the reference).
   */
  const bare = (withFts = false): number => {
    const dir = folder();
    mkdirSync(dir);
    const db = new Database(path.join(dir, 'plain.sqlite'));
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(`CREATE TABLE plain (
        account TEXT, peer TEXT, direction TEXT, sender_key TEXT, stanza_id TEXT, origin_id TEXT,
        message_id TEXT, body TEXT, timestamp INTEGER, received_at INTEGER, state TEXT)`);
      const insert = db.prepare<NewMessage>(
        `INSERT INTO plain VALUES (@account, @peer, @direction, @senderKey, @stanzaId, @originId,
         @messageId, @body, @timestamp, @receivedAt, @state)`,
      );
      if (withFts) db.exec(`CREATE VIRTUAL TABLE plain_fts USING fts5 (body, content = '')`);
      const index = withFts
        ? db.prepare<[number | bigint, string]>('INSERT INTO plain_fts (rowid, body) VALUES (?, ?)')
        : undefined;
      const store = db.transaction((batch: NewMessage[]) => {
        for (const m of batch) {
          const { lastInsertRowid } = insert.run(m);
          index?.run(lastInsertRowid, m.body);
        }
      });
      const start = performance.now();
      for (const batch of rows) {
        ctx.signal.throwIfAborted();
        store(batch);
      }
      return count / ((performance.now() - start) / 1000);
    } finally {
      db.close();
    }
  };
  const parleyRates: number[] = [];
  const bareRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      parleyRates.push(parley());
      bareRates.push(bare());
    } else {
      bareRates.push(bare());
      parleyRates.push(parley());
    }
    ctx.note(
      `round ${String(round + 1)}: parley ${formatFigure(parleyRates.at(-1) ?? NaN)} msgs/s, bare ${formatFigure(bareRates.at(-1) ?? NaN)} msgs/s`,
    );
  }
  const value = median(parleyRates);
  const reference = median(bareRates);
  const withoutSearch = parley(true);
  ctx.note(
    `without the search index (triggers dropped): ${formatFigure(withoutSearch)} msgs/s; the index costs ${Math.max(0, (1 - value / withoutSearch) * 100).toFixed(0)}% of the rate`,
  );
  const bareFts = bare(true);
  ctx.note(
    `a bare insert plus a bare FTS5 index of each body in the same transactions: ${formatFigure(bareFts)} msgs/s, ${(bareFts / reference).toFixed(2)}× the bare insert — the ceiling of the ratio for any design that indexes the text as it stores it; Parley is ${(value / bareFts).toFixed(2)}× of it`,
  );
  return { value, reference };
}

export default defineBenchmark({
  name: 'ingest',
  unit: 'msgs/s',
  goal: 0.5,
  description: 'batched archive ingest (de-duplication + search index) against a bare insert into a plain table',
  options: {
    'ingest-messages': 'messages per run (default 100000)',
    'ingest-batch': `messages per transaction: what a catch-up stores at once (default ${String(ARCHIVE_BATCH_MAX)})`,
    'ingest-rounds': 'rounds, alternating Parley and the reference (default 3)',
  },
  run: measure,
});
