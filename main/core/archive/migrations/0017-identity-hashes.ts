/**
 * 0017: message identity through integer hashes (archive/identity-hash.ts). The unique indexes
 * on (account, peer, direction, sender_key) and (account, stanza_id) held two JIDs and a UUID
 * per entry at a random position: per message stored, they cost more than the rest of the
 * insert (a catch-up page of 50 dirtied about 50 leaf pages of each). They become indexes on
 * `identity_hash` (account, peer, sender key; both directions) and `stanza_hash` (account,
 * stanza-id). Not unique: a hash says where to look, the text decides, so a collision cannot
 * merge two messages. The one write path (repos/messages.ts) stores a message only when no row
 * has its identity or its archive id, in the same statement; the lookups compare the text too.
 * Rows stored before get their hashes here.
 */
import {
  identityHash,
  IDENTITY_HASH_FUNCTION as IDENTITY,
  stanzaHash,
  STANZA_HASH_FUNCTION as STANZA,
} from '../identity-hash.ts';
import type { Migration } from './index.ts';

export const migration0017: Migration = {
  version: 17,
  name: 'identity-hashes',
  up(db) {
    db.function(IDENTITY, { deterministic: true }, (account: unknown, peer: unknown, key: unknown) =>
      identityHash(String(account), String(peer), String(key)),
    );
    db.function(STANZA, { deterministic: true }, (account: unknown, stanzaId: unknown) =>
      typeof stanzaId === 'string' ? stanzaHash(String(account), stanzaId) : null,
    );
    db.exec(`
      ALTER TABLE messages ADD COLUMN identity_hash INTEGER;
      ALTER TABLE messages ADD COLUMN stanza_hash INTEGER;
      UPDATE messages SET identity_hash = ${IDENTITY}(account, peer, sender_key), stanza_hash = ${STANZA}(account, stanza_id);
      DROP INDEX messages_identity;
      DROP INDEX messages_stanza_id;
      CREATE INDEX messages_identity_hash ON messages (identity_hash);
      CREATE INDEX messages_stanza_hash ON messages (stanza_hash) WHERE stanza_hash IS NOT NULL;
    `);
  },
};
