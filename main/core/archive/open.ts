/** Opens (and migrates) the local archive: one SQLite file per data folder, WAL mode. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations/index.ts';
import { searchIndexer } from './search-index.ts';
import { registerSearchFunctions } from './search-text.ts';

export type Db = Database.Database;

export class ArchiveBusyError extends Error {
  override name = 'ArchiveBusyError';
}

/** `dataDir` is a folder, or ':memory:' for a throwaway in-memory archive. */
export function openArchive(dataDir: string): Db {
  let db: Db;
  if (dataDir === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    db = new Database(path.join(dataDir, 'archive.sqlite'));
  }
  // One core owns an archive at a time: exclusive locking spares a file lock per statement
  // (a third of the per-message cost) and makes a second process fail loudly instead of
  // connecting the same accounts twice. Must precede the switch to WAL.
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.pragma('journal_mode = WAL');
  } catch (err) {
    db.close();
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new ArchiveBusyError(`Another Parley is already using the data folder ${dataDir}.`, { cause: err });
    }
    throw err;
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Statement journals (every insert inside a batch transaction writes one: the table has
  // CHECK constraints and triggers) stay in memory instead of spilling to a temp file.
  db.pragma('temp_store = MEMORY');
  // A larger page cache (32 MiB, used only as pages are touched): the identity indexes are
  // keyed by random ids, so a catch-up's inserts touch pages all over them.
  db.pragma('cache_size = -32768');
  // Checkpoint every 10,000 pages (~40 MB of WAL) rather than SQLite's 1,000: a page that
  // several commits change (an index leaf, the search index's segments) is copied back to the
  // database once per checkpoint, and a catch-up commits a page of messages at a time. The
  // file is cut back to 16 MB after a checkpoint.
  db.pragma('wal_autocheckpoint = 10000');
  // Reads through a memory map of the file (up to 1 GiB) rather than a copy per page into the
  // cache: a search's hits are rows all over a large archive, and these pages are the OS's
  // (clean, shared, dropped under pressure), not this process's heap.
  db.pragma('mmap_size = 1073741824');
  db.pragma('journal_size_limit = 16777216');
  // The search index's triggers call these (migration 0005): before any write.
  registerSearchFunctions(db);
  migrate(db);
  // Rows a previous run stored but did not index yet (migration 0010).
  searchIndexer(db).flush();
  return db;
}
