/**
 * 0005: full-text search over every message of every account. A contentless FTS5 table keyed
 * by messages.id (the text stays only in `messages`; deletions by rowid are allowed) holds each
 * body rewritten so that Chinese, Japanese and Korean are found by any substring of two or more
 * characters (overlapping bigrams: see archive/search-text.ts), and tokens for its account,
 * conversation and month so that filtered searches stay fast. Triggers keep it in step with
 * `messages` on every write path; they call JS functions registered on each connection
 * (openArchive; here too, so the existing rows can be indexed by this migration).
 */
import {
  registerSearchFunctions,
  SEARCH_SCOPE_FUNCTION as SCOPE,
  SEARCH_TEXT_FUNCTION as TEXT,
} from '../search-text.ts';
import type { Migration } from './index.ts';

export const migration0005: Migration = {
  version: 5,
  name: 'search',
  up(db) {
    registerSearchFunctions(db);
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5 (
        scope,
        body,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        -- Prefix queries of 2 and 3 characters (search as you type) read one term, not hundreds.
        prefix = '2 3'
      );
      INSERT INTO messages_fts (rowid, scope, body)
        SELECT id, ${SCOPE}(account, peer, timestamp), ${TEXT}(body) FROM messages;

      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, scope, body) VALUES (new.id, ${SCOPE}(new.account, new.peer, new.timestamp), ${TEXT}(new.body));
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.id;
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF id, account, peer, body, timestamp ON messages BEGIN
        DELETE FROM messages_fts WHERE rowid = old.id;
        INSERT INTO messages_fts (rowid, scope, body) VALUES (new.id, ${SCOPE}(new.account, new.peer, new.timestamp), ${TEXT}(new.body));
      END;
    `);
  },
};
