/** The cached roster (RFC 6121), one row per contact and account. */
import type { Db } from '../open.ts';

export type Subscription = 'none' | 'to' | 'from' | 'both';

export interface RosterItem {
  jid: string;
  name?: string | undefined;
  subscription: Subscription;
  groups: string[];
  /** XEP-0172: the nickname the contact published (a display hint; kept across roster refreshes). */
  nick?: string | undefined;
  /** XEP-0084/0153: the SHA-1 of the contact's avatar (in the avatar cache). */
  avatar?: string | undefined;
}

interface Row {
  jid: string;
  name: string | null;
  subscription: Subscription;
  groups: string;
  nick: string | null;
  avatar: string | null;
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
    'SELECT jid, name, subscription, groups, nick, avatar FROM contacts WHERE account = ? ORDER BY jid',
  );
  const one = db.prepare<[string, string], Row>(
    'SELECT jid, name, subscription, groups, nick, avatar FROM contacts WHERE account = ? AND jid = ?',
  );
  const setNick = db.prepare<[string | null, string, string]>(
    'UPDATE contacts SET nick = ? WHERE account = ? AND jid = ?',
  );
  const setAvatar = db.prepare<[string | null, string, string]>(
    'UPDATE contacts SET avatar = ? WHERE account = ? AND jid = ?',
  );
  const avatars = db.prepare<[], { avatar: string }>('SELECT DISTINCT avatar FROM contacts WHERE avatar IS NOT NULL');
  const toItem = (r: Row): RosterItem => ({
    jid: r.jid,
    name: r.name ?? undefined,
    subscription: r.subscription,
    groups: parseGroups(r.groups),
    ...(r.nick !== null ? { nick: r.nick } : {}),
    ...(r.avatar !== null ? { avatar: r.avatar } : {}),
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
    /** The whole roster from the server: others go; nicknames and avatars of those kept stay. */
    replaceAll: db.transaction((account: string, items: RosterItem[]) => {
      const keep = new Set(items.map((i) => i.jid));
      for (const row of list.all(account)) if (!keep.has(row.jid)) remove.run(account, row.jid);
      for (const item of items) put(account, item);
    }),
    /** True when it changed. */
    setNick(account: string, jid: string, nick: string | undefined): boolean {
      return setNick.run(nick ?? null, account, jid).changes > 0;
    },
    setAvatar(account: string, jid: string, avatar: string | undefined): boolean {
      return setAvatar.run(avatar ?? null, account, jid).changes > 0;
    },
    /** Every avatar hash some contact shows (the avatar cache keeps these). */
    avatarsInUse(): Set<string> {
      return new Set(avatars.all().map((r) => r.avatar));
    },
    list(account: string): RosterItem[] {
      return list.all(account).map(toItem);
    },
    get(account: string, jid: string): RosterItem | undefined {
      const row = one.get(account, jid);
      return row && toItem(row);
    },
  };
}
