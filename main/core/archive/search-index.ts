/**
 * Keeps the full-text index (migration 0005's `messages_fts`) in step with `messages`, in
 * batches. Writes to `messages` only queue the row's id in `messages_fts_pending` (triggers,
 * migration 0010); the queue is indexed here in one INSERT … SELECT: when it reaches
 * `MAX_PENDING` rows (inside the writer's transaction), a moment after the last write (a timer),
 * and before every search, so a search always sees every stored message. FTS5 writes a new
 * segment (and merges older ones) at every commit: indexing a message per commit, as a trigger
 * on each live message or each page of a catch-up did, cost more than the rest of the insert.
 *
 * One indexer per connection (`searchIndexer(db)`), shared by the repositories.
 */
import type { Database } from 'better-sqlite3';
import {
  registerSearchFunctions,
  SEARCH_SCOPE_FUNCTION as SCOPE,
  SEARCH_TEXT_FUNCTION as TEXT,
} from './search-text.ts';

/**
 * Indexed within the writer's transaction once this many rows wait (bounds the queue). FTS5
 * writes a segment per flush and merges them as they pile up: batches of 10,000 index a
 * catch-up's rows about a fifth faster than batches of 2,000 (one flush takes ~0.15 s).
 */
export const MAX_PENDING = 10_000;
/** Indexed this long after the first write that found the queue empty. */
export const INDEX_DELAY_MS = 500;

export interface SearchIndexer {
  /** A write queued rows (the triggers did): indexes now when the queue is full, else soon. */
  noteWrites(rows?: number): void;
  /** Indexes every queued row now; returns how many there were. */
  flush(): number;
}

const indexers = new WeakMap<Database, SearchIndexer>();

export function searchIndexer(db: Database): SearchIndexer {
  let indexer = indexers.get(db);
  if (!indexer) {
    indexer = createIndexer(db);
    indexers.set(db, indexer);
  }
  return indexer;
}

function createIndexer(db: Database): SearchIndexer {
  // The statements call these; openArchive registers them too (harmless twice).
  registerSearchFunctions(db);
  const any = db.prepare<[], number>('SELECT id FROM messages_fts_pending LIMIT 1').pluck();
  const index = db.prepare(
    `INSERT INTO messages_fts (rowid, scope, body)
     SELECT m.id, ${SCOPE}(m.account, m.peer, m.timestamp), ${TEXT}(m.body)
     FROM messages_fts_pending AS p JOIN messages AS m ON m.id = p.id`,
  );
  const clear = db.prepare('DELETE FROM messages_fts_pending');
  const flushAll = db.transaction(() => {
    index.run();
    return clear.run().changes;
  });
  /** Rows queued since the last flush by this connection (a lower bound: earlier runs may have left some). */
  let queued = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = (): number => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    queued = 0;
    if (!db.open || any.get() === undefined) return 0;
    return flushAll();
  };

  return {
    noteWrites(rows = 1) {
      queued += rows;
      if (queued >= MAX_PENDING) {
        flush();
        return;
      }
      timer ??= setTimeout(() => {
        timer = undefined;
        // Never inside someone else's transaction; a failure (a full disk) leaves the queue for
        // the next flush, which a search makes (and reports).
        if (!db.open || db.inTransaction) return;
        try {
          flush();
        } catch {
          // kept queued
        }
      }, INDEX_DELAY_MS).unref();
    },
    flush,
  };
}
