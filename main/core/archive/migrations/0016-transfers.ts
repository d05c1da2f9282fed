/**
 * 0016: transfer history (issue 6). One row per file transfer of an account, written when it
 * starts and again at each change of state, so that its final state (completed, or failed
 * with its reason) survives a restart, and a transfer still active in the table at the next
 * start is known to have been interrupted (its partial file, `temp_path`, is then removed).
 */
import type { Migration } from './index.ts';

export const migration0016: Migration = {
  version: 16,
  name: 'transfers',
  up(db) {
    db.exec(`
      CREATE TABLE transfers (
        account     TEXT    NOT NULL,
        id          TEXT    NOT NULL,
        direction   TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
        peer        TEXT    NOT NULL,
        name        TEXT    NOT NULL,
        size        INTEGER NOT NULL CHECK (size >= 0),
        bytes       INTEGER NOT NULL CHECK (bytes >= 0),
        state       TEXT    NOT NULL,
        reason      TEXT,
        error       TEXT,
        method      TEXT,
        protocol    TEXT,
        choice      TEXT,
        mime_type   TEXT,
        description TEXT,
        sha256      TEXT,
        path        TEXT,
        url         TEXT,
        temp_path   TEXT,
        started_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (account, id)
      ) STRICT;
      CREATE INDEX transfers_by_start ON transfers (account, started_at);
    `);
  },
};
