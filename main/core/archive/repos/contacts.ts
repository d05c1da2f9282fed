/** The cached roster (RFC 6121), one row per contact and account. */
import type { Db } from '../open.ts';

export type Subscription = 'none' | 'to' | 'from' | 'both';

export interface RosterItem {
  jid: string;
  name?: string | undefined;
  subscription: Subscription;
  groups: string[];
}

interface Row {
  jid: string;
  name: string | null;
  subscription: Subscription;
  groups: string;
}

export type ContactRepo = ReturnType<typeof createContactRepo>;

function parseGroups(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : [];
  } catch {
    return [];
  }
}

export function createContactRepo(db: Db) {
  const upsert = db.prepare<[string, string, string | null, string, string]>(`
    INSERT INTO contacts (account, jid, name, subscription, groups) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account, jid) DO UPDATE SET name = excluded.name, subscription = excluded.subscription, groups = excluded.groups`);
  const remove = db.prepare<[string, string]>('DELETE FROM contacts WHERE account = ? AND jid = ?');
  const clear = db.prepare<[string]>('DELETE FROM contacts WHERE account = ?');
  const list = db.prepare<[string], Row>(
    'SELECT jid, name, subscription, groups FROM contacts WHERE account = ? ORDER BY jid',
  );
  const one = db.prepare<[string, string], Row>(
    'SELECT jid, name, subscription, groups FROM contacts WHERE account = ? AND jid = ?',
  );
  const toItem = (r: Row): RosterItem => ({
    jid: r.jid,
    name: r.name ?? undefined,
    subscription: r.subscription,
    groups: parseGroups(r.groups),
  });
  const put = (account: string, item: RosterItem) =>
    upsert.run(account, item.jid, item.name ?? null, item.subscription, JSON.stringify(item.groups));

  return {
    upsert: put,
    removeAccount(account: string): void {
      clear.run(account);
    },
    remove(account: string, jid: string): void {
      remove.run(account, jid);
    },
    replaceAll: db.transaction((account: string, items: RosterItem[]) => {
      clear.run(account);
      for (const item of items) put(account, item);
    }),
    list(account: string): RosterItem[] {
      return list.all(account).map(toItem);
    },
    get(account: string, jid: string): RosterItem | undefined {
      const row = one.get(account, jid);
      return row && toItem(row);
    },
  };
}
