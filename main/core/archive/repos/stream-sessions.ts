/** The persisted XEP-0198 session per account (see migration 0003). */
import type { Db } from '../open.ts';

export interface StreamSession {
  smId: string;
  inbound: number;
}

export type StreamSessionRepo = ReturnType<typeof createStreamSessionRepo>;

export function createStreamSessionRepo(db: Db) {
  const get = db.prepare<[string], StreamSession>(
    'SELECT sm_id AS smId, inbound FROM stream_sessions WHERE account = ?',
  );
  const save = db.prepare<[string, string, number, number]>(`
    INSERT INTO stream_sessions (account, sm_id, inbound, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (account) DO UPDATE SET sm_id = excluded.sm_id, inbound = excluded.inbound, updated_at = excluded.updated_at`);
  const clear = db.prepare<[string]>('DELETE FROM stream_sessions WHERE account = ?');
  return {
    get: (account: string): StreamSession | undefined => get.get(account),
    save(account: string, session: StreamSession, now: number): void {
      save.run(account, session.smId, session.inbound, now);
    },
    clear(account: string): void {
      clear.run(account);
    },
  };
}
