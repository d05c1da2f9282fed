/**
 * The statuses the user set (show + message), newest first (migration 0008): those with a
 * message for the status selector's recent list; the newest of all (a message or not) is the
 * status chosen last, restored after a restart. A status without a message is stored with
 * status '' (at most one row per show).
 */
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
    "SELECT show, status, used_at FROM own_status WHERE account = ? AND status <> '' ORDER BY used_at DESC LIMIT ?",
  );
  const last = db.prepare<[string], { show: Show; status: string; used_at: number }>(
    'SELECT show, status, used_at FROM own_status WHERE account = ? ORDER BY used_at DESC, rowid DESC LIMIT 1',
  );
  const prune = db.prepare<[string, string, number]>(`
    DELETE FROM own_status WHERE account = ? AND status <> '' AND rowid NOT IN (
      SELECT rowid FROM own_status WHERE account = ? AND status <> '' ORDER BY used_at DESC LIMIT ?)`);
  const clear = db.prepare<[string]>('DELETE FROM own_status WHERE account = ?');
  return {
    /** Remembers a status the user chose ('' for none: then it is only the last one chosen, not listed). */
    use(account: string, show: Show, status: string, at: number): void {
      upsert.run(account, show, status.trim() === '' ? '' : status, at);
      prune.run(account, account, MAX_RECENT_STATUSES);
    },
    recent(account: string): OwnStatusRow[] {
      return recent
        .all(account, MAX_RECENT_STATUSES)
        .map((r) => ({ show: r.show, status: r.status, usedAt: r.used_at }));
    },
    /** The last status chosen, with a message or not ('' then), if any (restored at start). */
    last(account: string): OwnStatusRow | undefined {
      const r = last.get(account);
      return r === undefined ? undefined : { show: r.show, status: r.status, usedAt: r.used_at };
    },
    removeAccount(account: string): void {
      clear.run(account);
    },
  };
}
