/**
 * 0006: what modern one-to-one messaging adds to a message and a conversation.
 * - Corrections (XEP-0308): the current body stays in messages.body (so search finds what
 *   is shown); earlier bodies go to message_edits, newest last; edited_at marks it.
 * - Retractions (XEP-0424): a tombstone (retracted_at, body emptied, history dropped).
 * - Replies (XEP-0461): the quoted message's id as sent (reply_to), and its local row once
 *   known (reply_to_row) for the preview.
 * - Reactions (XEP-0444): each sender's current set per message (the protocol replaces it).
 * - Conversations: the newest message read (read_up_to, for unread counts and the unread
 *   separator), the draft, and whether it is open as a tab.
 */
import type { Migration } from './index.ts';

export const migration0006: Migration = {
  version: 6,
  name: 'message-features',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN edited_at INTEGER;
      ALTER TABLE messages ADD COLUMN retracted_at INTEGER;
      ALTER TABLE messages ADD COLUMN reply_to TEXT;
      ALTER TABLE messages ADD COLUMN reply_to_row INTEGER;
      -- Others refer to a message by the id it was sent with (or its origin-id).
      CREATE INDEX messages_ref ON messages (account, peer, message_id);
      CREATE INDEX messages_origin ON messages (account, peer, origin_id) WHERE origin_id IS NOT NULL;

      CREATE TABLE message_edits (
        id INTEGER PRIMARY KEY,
        message INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        body TEXT NOT NULL,
        replaced_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX message_edits_message ON message_edits (message);

      CREATE TABLE reactions (
        message INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        sender TEXT NOT NULL,
        -- JSON array of strings, in the sender's order.
        reactions TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (message, sender)
      ) STRICT;

      ALTER TABLE conversations ADD COLUMN read_up_to INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversations ADD COLUMN draft TEXT NOT NULL DEFAULT '';
      ALTER TABLE conversations ADD COLUMN tab INTEGER NOT NULL DEFAULT 0;
      -- What was there before counts as read.
      UPDATE conversations SET read_up_to = COALESCE(
        (SELECT MAX(id) FROM messages m WHERE m.account = conversations.account AND m.peer = conversations.peer), 0);
    `);
  },
};
