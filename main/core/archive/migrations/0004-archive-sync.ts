/**
 * 0004: where each account's catch-up from its server archive (XEP-0313) stands: the id of
 * the newest archive item known to be stored here with nothing missing before it. Every new
 * session (not a resumed one) pages forward from it; a gap left by a lost connection, a
 * server restart or a crash is refilled from there.
 */
import type { Migration } from './index.ts';

export const migration0004: Migration = {
  version: 4,
  name: 'archive-sync',
  up(db) {
    db.exec(`
      CREATE TABLE archive_sync (
        account TEXT PRIMARY KEY,
        last_id TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
