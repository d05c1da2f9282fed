/** Per account, the newest server-archive id stored with no gap before it (migration 0004). */
import type { Db } from '../open.ts';

export type ArchiveSyncRepo = ReturnType<typeof createArchiveSyncRepo>;

export function createArchiveSyncRepo(db: Db) {
  const get = db.prepare<[string], { last_id: string }>('SELECT last_id FROM archive_sync WHERE account = ?');
  const save = db.prepare<[string, string, number]>(`
    INSERT INTO archive_sync (account, last_id, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (account) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at`);
  const clear = db.prepare<[string]>('DELETE FROM archive_sync WHERE account = ?');
  return {
    lastId: (account: string): string | undefined => get.get(account)?.last_id,
    save(account: string, lastId: string, now: number): void {
      save.run(account, lastId, now);
    },
    clear(account: string): void {
      clear.run(account);
    },
  };
}
