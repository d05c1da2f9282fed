/** The blocklist (XEP-0191) as the server last said it, per account (migration 0008). */
import type { Db } from '../open.ts';

export type BlocklistRepo = ReturnType<typeof createBlocklistRepo>;

export function createBlocklistRepo(db: Db) {
  const list = db.prepare<[string], { jid: string }>('SELECT jid FROM blocklist WHERE account = ? ORDER BY jid');
  const insert = db.prepare<[string, string]>(
    'INSERT INTO blocklist (account, jid) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const clear = db.prepare<[string]>('DELETE FROM blocklist WHERE account = ?');
  return {
    list: (account: string): string[] => list.all(account).map((r) => r.jid),
    replace: db.transaction((account: string, jids: readonly string[]) => {
      clear.run(account);
      for (const jid of jids) insert.run(account, jid);
    }),
    removeAccount(account: string): void {
      clear.run(account);
    },
  };
}
