/** The statuses the user set (show + message), newest first, for the status selector (migration 0008). */
import type { Show } from '../../../../preload/contract.ts';
import type { Db } from '../open.ts';

export interface OwnStatusRow {
  show: Show;
  status: string;
  usedAt: number;
}

export type OwnStatusRepo = ReturnType<typeof createOwnStatusRepo>;

/** How many recent statuses are kept per account. */
export const MAX_RECENT_STATUSES = 10;

export function createOwnStatusRepo(db: Db) {
  const upsert = db.prepare<[string, string, string, number]>(`
    INSERT INTO own_status (account, show, status, used_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (account, show, status) DO UPDATE SET used_at = excluded.used_at`);
  const recent = db.prepare<[string, number], { show: Show; status: string; used_at: number }>(
    'SELECT show, status, used_at FROM own_status WHERE account = ? ORDER BY used_at DESC LIMIT ?',
  );
  const prune = db.prepare<[string, string, number]>(`
    DELETE FROM own_status WHERE account = ? AND rowid NOT IN (
      SELECT rowid FROM own_status WHERE account = ? ORDER BY used_at DESC LIMIT ?)`);
  const clear = db.prepare<[string]>('DELETE FROM own_status WHERE account = ?');
  return {
    /** Remembers a status the user chose (only those with a message are worth listing). */
    use(account: string, show: Show, status: string, at: number): void {
      if (status.trim() === '') return;
      upsert.run(account, show, status, at);
      prune.run(account, account, MAX_RECENT_STATUSES);
    },
    recent(account: string): OwnStatusRow[] {
      return recent
        .all(account, MAX_RECENT_STATUSES)
        .map((r) => ({ show: r.show, status: r.status, usedAt: r.used_at }));
    },
    /** The last status chosen, if any (restored at start). */
    last(account: string): OwnStatusRow | undefined {
      return this.recent(account)[0];
    },
    removeAccount(account: string): void {
      clear.run(account);
    },
  };
}
