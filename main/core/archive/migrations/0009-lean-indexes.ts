/**
 * 0009: two indexes fewer on messages (each costs every insert, and a catch-up inserts in
 * bulk). messages_out_id (account, peer, message_id) for outbound rows is covered by 0006's
 * messages_ref on the same columns; messages_origin is served by the identity index, since
 * the sender key is the origin-id whenever there is one.
 */
import type { Migration } from './index.ts';

export const migration0009: Migration = {
  version: 9,
  name: 'lean-indexes',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS messages_out_id;
      DROP INDEX IF EXISTS messages_origin;
    `);
  },
};
