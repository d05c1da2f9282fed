/** One account's contacts: `roster.list`, kept live by `roster.updated`. Online first, then by name. */
import { useMemo } from 'react';
import type { Contact } from '../../../preload/contract.ts';
import { useClient } from '../../app/core.ts';
import { useLive } from '../../app/useLive.ts';
import { useI18n } from '../../i18n/index.ts';

export const isOnline = (c: Pick<Contact, 'show'>): boolean => c.show !== 'offline';

/** While the account is not online, nobody's presence is known: everyone shows offline. */
function unknownPresence(contact: Contact): Contact {
  const c: Contact = { ...contact, show: 'offline' };
  delete c.status;
  return c;
}

export function useRoster(accountId: string, online: boolean): { contacts: Contact[] | undefined; error: unknown } {
  const client = useClient();
  const { compare } = useI18n();
  const { data, error } = useLive<ReadonlyMap<string, Contact>>(
    `roster:${accountId}`,
    async () => {
      const { contacts } = await client.call('roster.list', { accountId });
      return new Map(contacts.map((c) => [c.jid, c]));
    },
    (apply) =>
      client.on('roster.updated', (event) => {
        if (event.accountId !== accountId) return;
        apply((map) => {
          const next = new Map(map);
          for (const jid of event.removed) next.delete(jid);
          for (const c of event.contacts) next.set(c.jid, c);
          return next;
        });
      }),
  );
  const contacts = useMemo(
    () =>
      data &&
      [...data.values()]
        .map((c) => (online ? c : unknownPresence(c)))
        .sort((a, b) => Number(isOnline(b)) - Number(isOnline(a)) || compare(a.name, b.name) || compare(a.jid, b.jid)),
    [data, online, compare],
  );
  return { contacts, error };
}
