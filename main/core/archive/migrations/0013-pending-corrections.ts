/**
 * 0013: corrections (XEP-0308) that arrived before the message they correct. A correction can
 * overtake its message (live while the original comes by a catch-up from the server archive,
 * or the original is older history not fetched yet); it waits here and is applied when the
 * original is stored (repos/pending-corrections.ts). One row per correction: the same
 * correction arriving again by another path is one row.
 */
import type { Migration } from './index.ts';

export const migration0013: Migration = {
  version: 13,
  name: 'pending-corrections',
  up(db) {
    db.exec(`
      CREATE TABLE pending_corrections (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        peer TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        target TEXT NOT NULL,
        body TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        source TEXT NOT NULL,
        source_stanza_id TEXT,
        received_at INTEGER NOT NULL,
        UNIQUE (account, peer, direction, target, source)
      ) STRICT;
    `);
  },
};
