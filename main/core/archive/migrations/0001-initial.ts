/** 0001: messages with explicit identity, conversations, cached roster. */
import type { Migration } from './index.ts';

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        peer TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        -- Sender-assigned identity: origin-id (XEP-0359) or else the stanza id,
        -- unique per sender; 'h:' + a content hash when the sender gave none.
        sender_key TEXT NOT NULL,
        -- Server-assigned archive id (XEP-0359 stanza-id by our account), when known.
        stanza_id TEXT,
        origin_id TEXT,
        message_id TEXT,
        body TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'received', 'failed'))
      ) STRICT;
      CREATE UNIQUE INDEX messages_identity ON messages (account, peer, direction, sender_key);
      CREATE UNIQUE INDEX messages_stanza_id ON messages (account, stanza_id) WHERE stanza_id IS NOT NULL;
      CREATE INDEX messages_conversation ON messages (account, peer, id);

      CREATE TABLE conversations (
        account TEXT NOT NULL,
        peer TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        PRIMARY KEY (account, peer)
      ) STRICT;

      CREATE TABLE contacts (
        account TEXT NOT NULL,
        jid TEXT NOT NULL,
        name TEXT,
        subscription TEXT NOT NULL CHECK (subscription IN ('none', 'to', 'from', 'both')),
        groups TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, jid)
      ) STRICT;
    `);
  },
};
