/**
 * 0008: the roster issue. The XEP-0115 caps cache (shared by every account), the roster
 * version (XEP-0237) per account, subscription requests both ways, the blocklist
 * (XEP-0191) as last seen, contacts' nicknames (XEP-0172) and avatar hashes (XEP-0084 /
 * XEP-0153), and the recent own statuses.
 */
import { CAPS_CACHE_DDL } from '../../xmpp/caps-cache.ts';
import type { Migration } from './index.ts';

export const migration0008: Migration = {
  version: 8,
  name: 'roster-profile',
  up(db) {
    db.exec(`${CAPS_CACHE_DDL};`);
    db.exec(`
      CREATE TABLE roster_state (
        account TEXT PRIMARY KEY,
        ver TEXT NOT NULL
      ) STRICT;

      CREATE TABLE subscription_requests (
        account TEXT NOT NULL,
        jid TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending')),
        nick TEXT,
        message TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (account, jid, direction)
      ) STRICT;

      CREATE TABLE blocklist (
        account TEXT NOT NULL,
        jid TEXT NOT NULL,
        PRIMARY KEY (account, jid)
      ) STRICT;

      ALTER TABLE contacts ADD COLUMN nick TEXT;
      ALTER TABLE contacts ADD COLUMN avatar TEXT;

      CREATE TABLE own_status (
        account TEXT NOT NULL,
        show TEXT NOT NULL CHECK (show IN ('chat', 'available', 'away', 'xa', 'dnd', 'offline')),
        status TEXT NOT NULL,
        used_at INTEGER NOT NULL,
        PRIMARY KEY (account, show, status)
      ) STRICT;
      CREATE INDEX own_status_recent ON own_status (account, used_at);
    `);
  },
};
