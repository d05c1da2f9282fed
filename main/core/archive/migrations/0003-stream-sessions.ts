/**
 * 0003: the XEP-0198 session of each account (resumption id and the count of stanzas
 * handled), so that a core restarted after a crash resumes the session its predecessor
 * left hibernating on the server, instead of leaving the stanzas queued there behind.
 */
import type { Migration } from './index.ts';

export const migration0003: Migration = {
  version: 3,
  name: 'stream-sessions',
  up(db) {
    db.exec(`
      CREATE TABLE stream_sessions (
        account TEXT PRIMARY KEY,
        sm_id TEXT NOT NULL,
        -- Stanzas handled (stored) so far: never more than the truth, so a resumption
        -- at worst makes the server repeat a few stanzas, which identity de-duplicates.
        inbound INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
