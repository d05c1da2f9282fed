/**
 * Transfer history (issue 6, migration 0016): every file transfer of an account, written when
 * it starts and at each change of state (never for progress), so that the transfers view lists
 * finished ones after a restart and the file bubbles still find their saved file. A row still
 * active at the next start belongs to a transfer that Parley's exit interrupted: `interrupt`
 * marks it failed and hands back its partial file for removal.
 */
import {
  Transfer,
  TransferChoice,
  TransferMethod,
  TransferProtocol,
  TransferReason,
} from '../../../../preload/contract.ts';
import type { Db } from '../open.ts';

/** Finished transfers kept per account (the oldest go first). */
export const MAX_TRANSFER_HISTORY = 500;

const FINISHED = "('completed', 'failed')";

interface Row {
  id: string;
  account: string;
  direction: string;
  peer: string;
  name: string;
  size: number;
  bytes: number;
  state: string;
  reason: string | null;
  error: string | null;
  method: string | null;
  protocol: string | null;
  choice: string | null;
  mime_type: string | null;
  description: string | null;
  sha256: string | null;
  path: string | null;
  url: string | null;
  temp_path: string | null;
  started_at: number;
  updated_at: number;
}

/** A stored row as a Transfer; undefined when it does not validate (a row from a newer Parley, say). */
function toTransfer(r: Row): Transfer | undefined {
  const parsed = Transfer.safeParse({
    id: r.id,
    accountId: r.account,
    peer: r.peer,
    direction: r.direction,
    name: r.name,
    size: r.size,
    bytes: r.bytes,
    speed: 0,
    state: r.state,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    ...(r.reason !== null && TransferReason.safeParse(r.reason).success ? { reason: r.reason } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
    ...(r.method !== null && TransferMethod.safeParse(r.method).success ? { method: r.method } : {}),
    ...(r.protocol !== null && TransferProtocol.safeParse(r.protocol).success ? { protocol: r.protocol } : {}),
    ...(r.choice !== null && TransferChoice.safeParse(r.choice).success ? { choice: r.choice } : {}),
    ...(r.mime_type !== null ? { mimeType: r.mime_type } : {}),
    ...(r.description !== null ? { description: r.description } : {}),
    ...(r.sha256 !== null ? { sha256: r.sha256 } : {}),
    ...(r.path !== null ? { path: r.path } : {}),
    ...(r.url !== null ? { url: r.url } : {}),
  });
  return parsed.success ? parsed.data : undefined;
}

export type TransferRepo = ReturnType<typeof createTransferRepo>;

export function createTransferRepo(db: Db) {
  const upsert = db.prepare(`
    INSERT INTO transfers (account, id, direction, peer, name, size, bytes, state, reason, error, method,
      protocol, choice, mime_type, description, sha256, path, url, temp_path, started_at, updated_at)
    VALUES (@account, @id, @direction, @peer, @name, @size, @bytes, @state, @reason, @error, @method,
      @protocol, @choice, @mime_type, @description, @sha256, @path, @url, @temp_path, @started_at, @updated_at)
    ON CONFLICT (account, id) DO UPDATE SET
      peer = excluded.peer, name = excluded.name, size = excluded.size, bytes = excluded.bytes,
      state = excluded.state, reason = excluded.reason, error = excluded.error, method = excluded.method,
      protocol = excluded.protocol, choice = excluded.choice, mime_type = excluded.mime_type,
      description = excluded.description, sha256 = excluded.sha256, path = excluded.path, url = excluded.url,
      temp_path = excluded.temp_path, updated_at = excluded.updated_at`);
  const prune = db.prepare<[string, string, number]>(`
    DELETE FROM transfers WHERE account = ? AND state IN ${FINISHED} AND rowid NOT IN (
      SELECT rowid FROM transfers WHERE account = ? AND state IN ${FINISHED} ORDER BY started_at DESC, rowid DESC LIMIT ?)`);
  const recent = db.prepare<[string, number], Row>(`
    SELECT * FROM (SELECT rowid AS seq, * FROM transfers WHERE account = ? ORDER BY started_at DESC, seq DESC LIMIT ?)
    ORDER BY started_at, seq`);
  const active = db.prepare<[string], { id: string; temp_path: string | null }>(
    `SELECT id, temp_path FROM transfers WHERE account = ? AND state NOT IN ${FINISHED}`,
  );
  const interrupt = db.prepare<[string, number, string, string]>(`
    UPDATE transfers SET state = 'failed', reason = 'interrupted', error = ?, temp_path = NULL, updated_at = ?
    WHERE account = ? AND id = ?`);
  const finishedIds = db.prepare<[string], { id: string }>(
    `SELECT id FROM transfers WHERE account = ? AND state IN ${FINISHED}`,
  );
  const clearFinished = db.prepare<[string]>(`DELETE FROM transfers WHERE account = ? AND state IN ${FINISHED}`);
  const clearAccount = db.prepare<[string]>('DELETE FROM transfers WHERE account = ?');

  return {
    /**
     * Stores a transfer's current state (`tempPath`: a receiver's partial file while it is
     * written); a finished one also trims the account's history to MAX_TRANSFER_HISTORY.
     */
    save(t: Transfer, tempPath?: string): void {
      const finished = t.state === 'completed' || t.state === 'failed';
      db.transaction(() => {
        upsert.run({
          account: t.accountId,
          id: t.id,
          direction: t.direction,
          peer: t.peer,
          name: t.name,
          size: t.size,
          bytes: t.bytes,
          state: t.state,
          reason: t.reason ?? null,
          error: t.error ?? null,
          method: t.method ?? null,
          protocol: t.protocol ?? null,
          choice: t.choice ?? null,
          mime_type: t.mimeType ?? null,
          description: t.description ?? null,
          sha256: t.sha256 ?? null,
          path: t.path ?? null,
          url: t.url ?? null,
          temp_path: finished ? null : (tempPath ?? null),
          started_at: t.startedAt,
          updated_at: t.updatedAt,
        });
        if (finished) prune.run(t.accountId, t.accountId, MAX_TRANSFER_HISTORY);
      })();
    },
    /** The account's newest transfers (at most `limit`), oldest first. */
    recent(account: string, limit = MAX_TRANSFER_HISTORY): Transfer[] {
      return recent.all(account, limit).flatMap((r) => toTransfer(r) ?? []);
    },
    /**
     * At start: every transfer still active in the table was interrupted by Parley's exit. Marks
     * them failed ('interrupted', with `error`) and returns the partial files they left.
     */
    interrupt(account: string, error: string, now: number): string[] {
      return db.transaction(() => {
        const rows = active.all(account);
        for (const r of rows) interrupt.run(error, now, account, r.id);
        return rows.flatMap((r) => (r.temp_path === null ? [] : [r.temp_path]));
      })();
    },
    /** Deletes the account's finished transfers; returns their ids. */
    clearFinished(account: string): string[] {
      return db.transaction(() => {
        const ids = finishedIds.all(account).map((r) => r.id);
        clearFinished.run(account);
        return ids;
      })();
    },
    removeAccount(account: string): void {
      clearAccount.run(account);
    },
  };
}
