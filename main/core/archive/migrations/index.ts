/**
 * Migrations, one file each, applied in order inside one transaction each;
 * the schema version is SQLite's user_version.
 */
import type { Database } from 'better-sqlite3';
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-delivery-states.ts';
import { migration0003 } from './0003-stream-sessions.ts';
import { migration0004 } from './0004-archive-sync.ts';
import { migration0005 } from './0005-search.ts';
import { migration0006 } from './0006-message-features.ts';
import { migration0007 } from './0007-correction-identity.ts';
import { migration0008 } from './0008-roster-profile.ts';
import { migration0009 } from './0009-lean-indexes.ts';
import { migration0010 } from './0010-deferred-search-index.ts';
import { migration0011 } from './0011-conversation-attention.ts';
import { migration0013 } from './0013-pending-corrections.ts';
import { migration0015 } from './0015-message-attachments.ts';
import { migration0016 } from './0016-transfers.ts';
import { migration0017 } from './0017-identity-hashes.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0013,
  migration0015,
  migration0016,
  migration0017,
];

export function migrate(db: Database, list: readonly Migration[] = migrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list.at(-1)?.version ?? 0;
  if (current > latest)
    throw new Error(`archive schema ${String(current)} is newer than this Parley (${String(latest)})`);
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${String(m.version)}`);
    })();
  }
  return latest;
}
