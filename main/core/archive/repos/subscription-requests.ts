/**
 * Presence subscription requests (RFC 6121 §3) that wait for an answer (migration 0008):
 * 'in' = a contact asked to see our presence; 'out' = we asked to see theirs.
 */
import type { Db } from '../open.ts';

export interface SubscriptionRequestRow {
  jid: string;
  direction: 'in' | 'out';
  nick?: string | undefined;
  message?: string | undefined;
  at: number;
}

interface Row {
  jid: string;
  direction: 'in' | 'out';
  nick: string | null;
  message: string | null;
  at: number;
}

export type SubscriptionRequestRepo = ReturnType<typeof createSubscriptionRequestRepo>;

export function createSubscriptionRequestRepo(db: Db) {
  const upsert = db.prepare<[string, string, string, string | null, string | null, number]>(`
    INSERT INTO subscription_requests (account, jid, direction, status, nick, message, at) VALUES (?, ?, ?, 'pending', ?, ?, ?)
    ON CONFLICT (account, jid, direction) DO UPDATE SET nick = excluded.nick, message = excluded.message, at = excluded.at`);
  const remove = db.prepare<[string, string, string]>(
    'DELETE FROM subscription_requests WHERE account = ? AND jid = ? AND direction = ?',
  );
  const list = db.prepare<[string], Row>(
    'SELECT jid, direction, nick, message, at FROM subscription_requests WHERE account = ? ORDER BY at, jid',
  );
  const one = db.prepare<[string, string, string], Row>(
    'SELECT jid, direction, nick, message, at FROM subscription_requests WHERE account = ? AND jid = ? AND direction = ?',
  );
  const clear = db.prepare<[string]>('DELETE FROM subscription_requests WHERE account = ?');
  const toRow = (r: Row): SubscriptionRequestRow => ({
    jid: r.jid,
    direction: r.direction,
    ...(r.nick !== null ? { nick: r.nick } : {}),
    ...(r.message !== null ? { message: r.message } : {}),
    at: r.at,
  });
  return {
    /** True when this changed anything (a new request). */
    put(account: string, request: SubscriptionRequestRow): boolean {
      const existed = one.get(account, request.jid, request.direction) !== undefined;
      upsert.run(account, request.jid, request.direction, request.nick ?? null, request.message ?? null, request.at);
      return !existed;
    },
    /** True when there was such a request. */
    remove(account: string, jid: string, direction: 'in' | 'out'): boolean {
      return remove.run(account, jid, direction).changes > 0;
    },
    get(account: string, jid: string, direction: 'in' | 'out'): SubscriptionRequestRow | undefined {
      const row = one.get(account, jid, direction);
      return row && toRow(row);
    },
    list(account: string): SubscriptionRequestRow[] {
      return list.all(account).map(toRow);
    },
    removeAccount(account: string): void {
      clear.run(account);
    },
  };
}
