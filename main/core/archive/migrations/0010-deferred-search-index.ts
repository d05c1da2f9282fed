/**
 * 0010: the search index is kept in batches (archive/search-index.ts) instead of a row at a
 * time. Writes to `messages` queue the row's id in `messages_fts_pending`; the indexer indexes
 * the queue in one statement. FTS5 writes a segment (and merges) at every commit, so a trigger
 * indexing each live message, or each page of a catch-up, cost more than the rest of the
 * insert. Deletes still leave the index at once. Everything stored before is indexed already.
 *
 * Also one index fewer with random keys: `messages_ref` (account, peer, message_id) keeps only
 * the rows whose message id is not their sender key (a sender that gave an origin-id other than
 * its stanza id); the others are found through the identity index (repos/messages.ts).
 */
import type { Migration } from './index.ts';

export const migration0010: Migration = {
  version: 10,
  name: 'deferred-search-index',
  up(db) {
    db.exec(`
      CREATE TABLE messages_fts_pending (id INTEGER PRIMARY KEY) STRICT;

      DROP TRIGGER messages_fts_insert;
      DROP TRIGGER messages_fts_update;
      DROP TRIGGER messages_fts_delete;
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT OR IGNORE INTO messages_fts_pending (id) VALUES (new.id);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF id, account, peer, body, timestamp ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.id;
        DELETE FROM messages_fts_pending WHERE id = old.id;
        INSERT OR IGNORE INTO messages_fts_pending (id) VALUES (new.id);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.id;
        DELETE FROM messages_fts_pending WHERE id = old.id;
      END;

      DROP INDEX IF EXISTS messages_ref;
      CREATE INDEX messages_ref ON messages (account, peer, message_id) WHERE message_id IS NOT sender_key;
    `);
  },
};
