/** RFC 6121 presence: our own availability and contacts' presence per resource. */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { Show } from '../../../preload/contract.ts';
import { parse } from './jid.ts';

const SHOWS = new Set(['chat', 'away', 'xa', 'dnd']);
const MAX_STATUS = 1024;

export interface ResourcePresence {
  show: Exclude<Show, 'offline'>;
  status?: string | undefined;
  priority: number;
}

export type PresenceUpdate =
  | { kind: 'available'; bare: string; resource: string; presence: ResourcePresence }
  | { kind: 'unavailable'; bare: string; resource: string };

export function buildAvailable(): Element {
  return xml('presence', {});
}

export function buildUnavailable(): Element {
  return xml('presence', { type: 'unavailable' });
}

/** Parses availability presence; subscriptions and errors are not handled here. */
export function parsePresence(stanza: Element): PresenceUpdate | undefined {
  if (!stanza.is('presence')) return undefined;
  const from = parse(stanza.attrs['from']);
  if (!from) return undefined;
  const type: unknown = stanza.attrs['type'];
  if (type === 'unavailable') return { kind: 'unavailable', bare: from.bare, resource: from.resource };
  if (type !== undefined) return undefined;
  const show = stanza.getChildText('show')?.trim();
  const status = stanza.getChildText('status')?.slice(0, MAX_STATUS);
  const priority = Number.parseInt(stanza.getChildText('priority') ?? '0', 10);
  return {
    kind: 'available',
    bare: from.bare,
    resource: from.resource,
    presence: {
      show: show && SHOWS.has(show) ? (show as ResourcePresence['show']) : 'available',
      status: status === '' ? undefined : status,
      priority: Number.isFinite(priority) ? Math.max(-128, Math.min(127, priority)) : 0,
    },
  };
}

const SHOW_RANK: Record<ResourcePresence['show'], number> = { chat: 0, available: 1, away: 2, xa: 3, dnd: 4 };

/** Tracks every contact's resources; the best one (priority, then availability) speaks for the contact. */
export class PresenceBook {
  readonly #byContact = new Map<string, Map<string, ResourcePresence>>();

  /** Applies an update; returns the contact's bare JID when its best presence may have changed. */
  apply(update: PresenceUpdate): string {
    const resources = this.#byContact.get(update.bare) ?? new Map<string, ResourcePresence>();
    if (update.kind === 'available') resources.set(update.resource, update.presence);
    else if (update.resource) resources.delete(update.resource);
    else resources.clear();
    if (resources.size > 0) this.#byContact.set(update.bare, resources);
    else this.#byContact.delete(update.bare);
    return update.bare;
  }

  best(bare: string): { show: Show; status?: string | undefined } {
    const resources = [...(this.#byContact.get(bare)?.values() ?? [])];
    if (resources.length === 0) return { show: 'offline' };
    resources.sort((a, b) => b.priority - a.priority || SHOW_RANK[a.show] - SHOW_RANK[b.show]);
    const top = resources[0];
    return top ? { show: top.show, status: top.status } : { show: 'offline' };
  }

  /** Every connected resource of a contact, best first. */
  resources(bare: string): [string, ResourcePresence][] {
    const all = [...(this.#byContact.get(bare)?.entries() ?? [])];
    return all.sort(([, a], [, b]) => b.priority - a.priority || SHOW_RANK[a.show] - SHOW_RANK[b.show]);
  }

  clear(): string[] {
    const contacts = [...this.#byContact.keys()];
    this.#byContact.clear();
    return contacts;
  }
}
