/** Conversations: opened by the user or by a first message, listed by last activity. */
import type { Db } from '../open.ts';

export interface ConversationRow {
  peer: string;
  lastBody: string | null;
  lastTimestamp: number | null;
  /** The newest message the user has seen (0: none). */
  readUpTo: number;
  draft: string;
  /** Open as a tab. */
  tab: number;
  /** Notifications muted until this time (epoch ms); null: not muted. */
  mutedUntil: number | null;
  /** A new message plays a sound (1) or not (0). */
  sound: number;
}

export type ConversationRepo = ReturnType<typeof createConversationRepo>;

export function createConversationRepo(db: Db) {
  const open = db.prepare<[string, string, number]>(
    'INSERT OR IGNORE INTO conversations (account, peer, opened_at) VALUES (?, ?, ?)',
  );
  const select = `
    SELECT c.peer AS peer, m.body AS lastBody, m.timestamp AS lastTimestamp, c.opened_at AS openedAt,
      c.read_up_to AS readUpTo, c.draft AS draft, c.tab AS tab,
      c.muted_until AS mutedUntil, c.sound AS sound
    FROM conversations c
    LEFT JOIN messages m ON m.id = (SELECT MAX(id) FROM messages WHERE account = c.account AND peer = c.peer)
    WHERE c.account = ?`;
  const list = db.prepare<[string], ConversationRow>(`${select} ORDER BY COALESCE(m.timestamp, c.opened_at) DESC`);
  const one = db.prepare<[string, string], ConversationRow>(`${select} AND c.peer = ?`);

  const removeAccount = db.prepare<[string]>('DELETE FROM conversations WHERE account = ?');
  const markRead = db.prepare<[number, string, string, number]>(
    'UPDATE conversations SET read_up_to = ? WHERE account = ? AND peer = ? AND read_up_to < ?',
  );
  const setDraft = db.prepare<[string, string, string]>(
    'UPDATE conversations SET draft = ? WHERE account = ? AND peer = ?',
  );
  const setTab = db.prepare<[number, string, string]>(
    'UPDATE conversations SET tab = ? WHERE account = ? AND peer = ?',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM conversations WHERE account = ? AND peer = ?');
  const setMutedUntil = db.prepare<[number | null, string, string]>(
    'UPDATE conversations SET muted_until = ? WHERE account = ? AND peer = ?',
  );
  const setSound = db.prepare<[number, string, string]>(
    'UPDATE conversations SET sound = ? WHERE account = ? AND peer = ?',
  );
  const attention = db.prepare<[string, string], { mutedUntil: number | null; sound: number }>(
    'SELECT muted_until AS mutedUntil, sound FROM conversations WHERE account = ? AND peer = ?',
  );

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
    /** Moves the read mark forward (never back); true when it moved. */
    markRead(account: string, peer: string, upTo: number): boolean {
      return markRead.run(upTo, account, peer, upTo).changes > 0;
    },
    setDraft(account: string, peer: string, draft: string): void {
      setDraft.run(draft, account, peer);
    },
    setTab(account: string, peer: string, open: boolean): void {
      setTab.run(open ? 1 : 0, account, peer);
    },
    remove(account: string, peer: string): void {
      remove.run(account, peer);
    },
    setMutedUntil(account: string, peer: string, until: number | null): void {
      setMutedUntil.run(until, account, peer);
    },
    setSound(account: string, peer: string, on: boolean): void {
      setSound.run(on ? 1 : 0, account, peer);
    },
    /** The notification preferences of one conversation (undefined: no such conversation). */
    attention(account: string, peer: string): { mutedUntil: number | null; sound: boolean } | undefined {
      const row = attention.get(account, peer);
      return row ? { mutedUntil: row.mutedUntil, sound: row.sound === 1 } : undefined;
    },
  };
}
