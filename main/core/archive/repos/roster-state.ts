/** Per account, the version (XEP-0237) of the roster cached in `contacts` (migration 0008). */
import type { Db } from '../open.ts';

export type RosterStateRepo = ReturnType<typeof createRosterStateRepo>;

export function createRosterStateRepo(db: Db) {
  const get = db.prepare<[string], { ver: string }>('SELECT ver FROM roster_state WHERE account = ?');
  const save = db.prepare<[string, string]>(`
    INSERT INTO roster_state (account, ver) VALUES (?, ?)
    ON CONFLICT (account) DO UPDATE SET ver = excluded.ver`);
  const clear = db.prepare<[string]>('DELETE FROM roster_state WHERE account = ?');
  return {
    ver: (account: string): string | undefined => get.get(account)?.ver,
    save(account: string, ver: string): void {
      save.run(account, ver);
    },
    clear(account: string): void {
      clear.run(account);
    },
  };
}
