/**
 * 0002: the outbox's delivery states (queued → sent → acked → delivered → read, or failed
 * with a reason). SQLite cannot alter a CHECK constraint, so the table is rebuilt; the old
 * 'pending' state becomes 'queued'.
 */
import type { Migration } from './index.ts';

export const migration0002: Migration = {
  version: 2,
  name: 'delivery-states',
  up(db) {
    db.exec(`
      CREATE TABLE messages_new (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        peer TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        sender_key TEXT NOT NULL,
        stanza_id TEXT,
        origin_id TEXT,
        message_id TEXT,
        body TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'acked', 'delivered', 'read', 'failed', 'received')),
        error TEXT
      ) STRICT;
      INSERT INTO messages_new (id, account, peer, direction, sender_key, stanza_id, origin_id, message_id, body, timestamp, received_at, state)
        SELECT id, account, peer, direction, sender_key, stanza_id, origin_id, message_id, body, timestamp, received_at,
               CASE state WHEN 'pending' THEN 'queued' ELSE state END
        FROM messages;
      DROP TABLE messages;
      ALTER TABLE messages_new RENAME TO messages;
      CREATE UNIQUE INDEX messages_identity ON messages (account, peer, direction, sender_key);
      CREATE UNIQUE INDEX messages_stanza_id ON messages (account, stanza_id) WHERE stanza_id IS NOT NULL;
      CREATE INDEX messages_conversation ON messages (account, peer, id);
      -- The outbox: what still has to go out, in order.
      CREATE INDEX messages_outbox ON messages (account, id) WHERE state = 'queued';
      -- Receipts and markers name the message by its id.
      CREATE INDEX messages_out_id ON messages (account, peer, message_id) WHERE direction = 'out';
    `);
  },
};
