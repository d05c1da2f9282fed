/**
 * 0011: per-conversation notification preferences (issue 7): muted until a time (epoch ms;
 * NULL: not muted) and whether a new message plays a sound (1: yes).
 */
import type { Migration } from './index.ts';

export const migration0011: Migration = {
  version: 11,
  name: 'conversation-attention',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN muted_until INTEGER;
      ALTER TABLE conversations ADD COLUMN sound INTEGER NOT NULL DEFAULT 1 CHECK (sound IN (0, 1));
    `);
  },
};
