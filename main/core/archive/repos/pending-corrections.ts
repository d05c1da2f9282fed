/**
 * XEP-0308 corrections that arrived before the message they correct (migration 0013): live
 * while the original comes later from the server archive, or for older history not fetched
 * yet. They wait here, keyed by the id the correction refers to, and are applied when a
 * message with that id is stored, oldest correction first, through the messages repository's
 * `correct` (so the once-only rule of `message_edits` holds for them too).
 *
 * Bounded: a sender can name ids that never come, so each account keeps at most
 * MAX_PENDING of them, and none older than MAX_AGE_MS.
 */
import type { Message } from '../../../../preload/contract.ts';
import type { Db } from '../open.ts';
import type { MessageRepo } from './messages.ts';

export const MAX_PENDING = 500;
export const MAX_AGE_MS = 30 * 24 * 60 * 60_000;

export interface PendingCorrection {
  account: string;
  peer: string;
  /** The direction of the corrected message ('in': the peer corrects theirs; 'out': one of our devices). */
  direction: 'in' | 'out';
  /** The id the correction refers to (the original's origin-id or stanza id). */
  target: string;
  body: string;
  timestamp: number;
  /** The correction's own sender identity. */
  source: string;
  /** Our archive's stanza-id for the correction, when known. */
  sourceStanzaId: string | undefined;
  receivedAt: number;
}

interface Row {
  id: number;
  body: string;
  timestamp: number;
  source: string;
  source_stanza_id: string | null;
}

export type PendingCorrectionRepo = ReturnType<typeof createPendingCorrectionRepo>;

export function createPendingCorrectionRepo(db: Db) {
  const insert = db.prepare<
    [string, string, string, string, string, number, string, string | null, number],
    { id: number }
  >(`
    INSERT INTO pending_corrections (account, peer, direction, target, body, timestamp, source, source_stanza_id, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING RETURNING id`);
  const expire = db.prepare<[string, number]>('DELETE FROM pending_corrections WHERE account = ? AND received_at < ?');
  const trim = db.prepare<[string, string, number]>(`
    DELETE FROM pending_corrections WHERE account = ? AND id <= (
      SELECT id FROM pending_corrections WHERE account = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`);
  const forTarget = db.prepare<[string, string, string, string], Row>(`
    SELECT id, body, timestamp, source, source_stanza_id FROM pending_corrections
    WHERE account = ? AND peer = ? AND direction = ? AND target = ?`);
  const remove = db.prepare<[number]>('DELETE FROM pending_corrections WHERE id = ?');
  const removeConversation = db.prepare<[string, string]>(
    'DELETE FROM pending_corrections WHERE account = ? AND peer = ?',
  );
  const removeAccount = db.prepare<[string]>('DELETE FROM pending_corrections WHERE account = ?');
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM pending_corrections');
  // Most inserts find nothing waiting: skip the lookup while the table is empty.
  let waiting = (count.get()?.n ?? 0) > 0;

  const repo = {
    /** Keeps a correction whose message is not stored (yet); the same correction again is kept once. */
    hold(c: PendingCorrection): void {
      const row = insert.get(
        c.account,
        c.peer,
        c.direction,
        c.target,
        c.body,
        c.timestamp,
        c.source,
        c.sourceStanzaId ?? null,
        c.receivedAt,
      );
      if (!row) return;
      waiting = true;
      expire.run(c.account, c.receivedAt - MAX_AGE_MS);
      trim.run(c.account, c.account, MAX_PENDING);
    },
    /** Removes and returns the corrections waiting for a message with one of these ids, oldest first. */
    take(
      account: string,
      peer: string,
      direction: 'in' | 'out',
      refs: readonly (string | undefined)[],
    ): { body: string; timestamp: number; source: string; sourceStanzaId: string | undefined }[] {
      if (!waiting) return [];
      const rows: Row[] = [];
      for (const ref of new Set(refs))
        if (ref !== undefined) rows.push(...forTarget.all(account, peer, direction, ref));
      if (rows.length === 0) return [];
      for (const r of rows) remove.run(r.id);
      waiting = (count.get()?.n ?? 0) > 0;
      return rows
        .sort((a, b) => a.timestamp - b.timestamp || a.id - b.id)
        .map((r) => ({
          body: r.body,
          timestamp: r.timestamp,
          source: r.source,
          sourceStanzaId: r.source_stanza_id ?? undefined,
        }));
    },
    removeConversation(account: string, peer: string): void {
      removeConversation.run(account, peer);
    },
    removeAccount(account: string): void {
      removeAccount.run(account);
    },
  };
  return repo;
}

/**
 * A message just stored: applies the corrections that were waiting for it, oldest first.
 * Returns the message as it now reads (corrected, or as stored).
 */
export function applyPendingCorrections(
  messages: MessageRepo,
  pending: PendingCorrectionRepo,
  stored: Message,
  refs: { originId: string | undefined; messageId: string | undefined },
): Message {
  const waiting = pending.take(stored.accountId, stored.peer, stored.direction, [refs.originId, refs.messageId]);
  let current = stored;
  for (const c of waiting) {
    const updated = messages.correct(stored.id, c.body, c.timestamp, { key: c.source, stanzaId: c.sourceStanzaId });
    if (updated) current = updated;
  }
  return current;
}
