/**
 * 0007: which correction (XEP-0308) replaced each earlier body. A correction can arrive more
 * than once (live, as a carbon, from the server archive, from offline storage); applied again
 * after a later one, it would bring back the older text and repeat the history. Each
 * message_edits row now names the correction that replaced its body, by the sender's identity
 * (origin-id, else stanza id, else a content hash) and by our archive's stanza-id when known,
 * so that the same correction is applied once.
 */
import type { Migration } from './index.ts';

export const migration0007: Migration = {
  version: 7,
  name: 'correction-identity',
  up(db) {
    db.exec(`
      ALTER TABLE message_edits ADD COLUMN source TEXT;
      ALTER TABLE message_edits ADD COLUMN source_stanza_id TEXT;
      CREATE INDEX message_edits_source ON message_edits (message, source) WHERE source IS NOT NULL;
      CREATE INDEX message_edits_source_stanza_id ON message_edits (message, source_stanza_id)
        WHERE source_stanza_id IS NOT NULL;
    `);
  },
};
