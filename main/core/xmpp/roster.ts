/** RFC 6121 roster: get, pushes (only from our own account), item parsing. */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { RosterItem, Subscription } from '../archive/repos/contacts.ts';
import { bareOf } from './jid.ts';

export const NS_ROSTER = 'jabber:iq:roster';
const SUBSCRIPTIONS = new Set(['none', 'to', 'from', 'both']);
const MAX_NAME = 1024;
const MAX_GROUPS = 100;

export type RosterChange = { kind: 'upsert'; item: RosterItem } | { kind: 'remove'; jid: string };

export function buildRosterGet(): Element {
  return xml('query', { xmlns: NS_ROSTER });
}

/** One <item/>; undefined for an item we cannot use (invalid JID). */
export function parseRosterItem(item: Element): RosterChange | undefined {
  const jid = bareOf(item.attrs['jid']);
  if (!jid) return undefined;
  const sub: unknown = item.attrs['subscription'];
  if (sub === 'remove') return { kind: 'remove', jid };
  const name: unknown = item.attrs['name'];
  const groups = [...new Set(item.getChildren('group').map((g) => g.text().trim().slice(0, MAX_NAME)))]
    .filter(Boolean)
    .slice(0, MAX_GROUPS);
  return {
    kind: 'upsert',
    item: {
      jid,
      name: typeof name === 'string' && name.trim() ? name.trim().slice(0, MAX_NAME) : undefined,
      subscription: typeof sub === 'string' && SUBSCRIPTIONS.has(sub) ? (sub as Subscription) : 'none',
      groups,
    },
  };
}

export function parseRosterQuery(query: Element): RosterChange[] {
  return query.getChildren('item').flatMap((item) => parseRosterItem(item) ?? []);
}

/** RFC 6121 §2.1.6: a push is legitimate only from our own bare JID (or with no from). */
export function isLegitimatePush(from: unknown, ownBare: string): boolean {
  return (
    from === undefined || from === '' || (typeof from === 'string' && !from.includes('/') && bareOf(from) === ownBare)
  );
}
