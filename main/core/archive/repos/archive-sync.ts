/** Per account, the newest server-archive id stored with no gap before it (migration 0004). */
import type { Db } from '../open.ts';

/** A sync point moved by live messages is written at most this often (see `advance`). */
export const SYNC_POINT_DELAY_MS = 1_000;

export type ArchiveSyncRepo = ReturnType<typeof createArchiveSyncRepo>;

export function createArchiveSyncRepo(db: Db) {
  const get = db.prepare<[string], { last_id: string }>('SELECT last_id FROM archive_sync WHERE account = ?');
  const save = db.prepare<[string, string, number]>(`
    INSERT INTO archive_sync (account, last_id, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (account) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at`);
  const clear = db.prepare<[string]>('DELETE FROM archive_sync WHERE account = ?');
  /** Sync points moved by live messages, not written yet. */
  const unwritten = new Map<string, { lastId: string; now: number }>();
  let timer: NodeJS.Timeout | undefined;
  const writeUnwritten = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!db.open) return;
    for (const [account, { lastId, now }] of unwritten) save.run(account, lastId, now);
    unwritten.clear();
  };
  return {
    lastId: (account: string): string | undefined => unwritten.get(account)?.lastId ?? get.get(account)?.last_id,
    save(account: string, lastId: string, now: number): void {
      unwritten.delete(account);
      save.run(account, lastId, now);
    },
    /**
     * Moves the sync point for a live message (every live message with an archive id does):
     * written within SYNC_POINT_DELAY_MS, not as a second commit per message. An older sync
     * point on disk is still a true one (nothing missing before it): after a crash the
     * catch-up only fetches a second more, which identity de-duplicates.
     */
    advance(account: string, lastId: string, now: number): void {
      unwritten.set(account, { lastId, now });
      timer ??= setTimeout(() => {
        try {
          writeUnwritten();
        } catch {
          // kept for the next write (a full disk): an older sync point is still true
        }
      }, SYNC_POINT_DELAY_MS).unref();
    },
    /** Writes the sync points `advance` moved (shutdown, tests). */
    flush(): void {
      writeUnwritten();
    },
    clear(account: string): void {
      unwritten.delete(account);
      clear.run(account);
    },
  };
}
