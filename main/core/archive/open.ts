/** Opens (and migrates) the local archive: one SQLite file per data folder, WAL mode. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations/index.ts';

export type Db = Database.Database;

/** `dataDir` is a folder, or ':memory:' for a throwaway in-memory archive. */
export function openArchive(dataDir: string): Db {
  let db: Db;
  if (dataDir === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    db = new Database(path.join(dataDir, 'archive.sqlite'));
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
