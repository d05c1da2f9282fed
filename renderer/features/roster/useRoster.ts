/**
 * The contacts of several accounts: `roster.list` for each, kept live by
 * `roster.updated`. Unsorted: the contact list groups and sorts them (roster-model.ts).
 */
import { useMemo } from 'react';
import type { Contact } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';
import { useLive } from '../../app/useLive.ts';

/** While the account is not online, nobody's presence is known: everyone shows offline. */
function unknownPresence(contact: Contact): Contact {
  const c: Contact = { ...contact, show: 'offline' };
  delete c.status;
  return c;
}

export interface RosterSource {
  accountId: string;
  online: boolean;
}

export interface RosterGroup {
  accountId: string;
  contacts: Contact[];
}

type Rosters = ReadonlyMap<string, ReadonlyMap<string, Contact>>;

export function useRosters(sources: readonly RosterSource[]): { groups: RosterGroup[] | undefined; error: unknown } {
  const client = useClient();
  const ids = sources.map((s) => s.accountId);
  const { data, error } = useLive<Rosters>(
    `rosters:${ids.join('\n')}`,
    async () => {
      // One account's failure (e.g. removed meanwhile) must not hide the others.
      const lists = await Promise.all(
        ids.map((accountId) =>
          client.call('roster.list', { accountId }).then(
            ({ contacts }) => contacts,
            () => [],
          ),
        ),
      );
      return new Map(ids.map((id, i) => [id, new Map((lists[i] ?? []).map((c) => [c.jid, c]))]));
    },
    (apply) =>
      client.on('roster.updated', (event) => {
        if (!ids.includes(event.accountId)) return;
        apply((rosters) => {
          const next = new Map(rosters.get(event.accountId));
          for (const jid of event.removed) next.delete(jid);
          for (const c of event.contacts) next.set(c.jid, c);
          return new Map(rosters).set(event.accountId, next);
        });
      }),
    { keepWhileLoading: true },
  );
  // Keys (addresses never hold a line break) keep the memo stable across renders.
  const idsKey = ids.join('\n');
  const onlineKey = sources
    .filter((s) => s.online)
    .map((s) => s.accountId)
    .join('\n');
  const groups = useMemo(() => {
    if (data === undefined) return undefined;
    const online = new Set(onlineKey.split('\n'));
    return (idsKey === '' ? [] : idsKey.split('\n')).map((accountId) => ({
      accountId,
      contacts: [...(data.get(accountId)?.values() ?? [])].map((c) => (online.has(accountId) ? c : unknownPresence(c))),
    }));
  }, [data, idsKey, onlineKey]);
  return { groups, error };
}
