/** Conversations: opened by the user or by a first message, listed by last activity. */
import type { Db } from '../open.ts';

export interface ConversationRow {
  peer: string;
  lastBody: string | null;
  lastTimestamp: number | null;
}

export type ConversationRepo = ReturnType<typeof createConversationRepo>;

export function createConversationRepo(db: Db) {
  const open = db.prepare<[string, string, number]>(
    'INSERT OR IGNORE INTO conversations (account, peer, opened_at) VALUES (?, ?, ?)',
  );
  const select = `
    SELECT c.peer AS peer, m.body AS lastBody, m.timestamp AS lastTimestamp, c.opened_at AS openedAt
    FROM conversations c
    LEFT JOIN messages m ON m.id = (SELECT MAX(id) FROM messages WHERE account = c.account AND peer = c.peer)
    WHERE c.account = ?`;
  const list = db.prepare<[string], ConversationRow>(`${select} ORDER BY COALESCE(m.timestamp, c.opened_at) DESC`);
  const one = db.prepare<[string, string], ConversationRow>(`${select} AND c.peer = ?`);

  const removeAccount = db.prepare<[string]>('DELETE FROM conversations WHERE account = ?');

  return {
    removeAccount(account: string): void {
      removeAccount.run(account);
    },
    open(account: string, peer: string, now: number): void {
      open.run(account, peer, now);
    },
    list(account: string): ConversationRow[] {
      return list.all(account);
    },
    get(account: string, peer: string): ConversationRow | undefined {
      return one.get(account, peer);
    },
  };
}
