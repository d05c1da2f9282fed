/** XEP-0359 Unique and Stable Stanza IDs; XEP-0203 Delayed Delivery timestamps. */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';

export const NS_SID = 'urn:xmpp:sid:0';
export const NS_DELAY = 'urn:xmpp:delay';
const MAX_ID = 256;

const validId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID;

export function buildOriginId(id: string): Element {
  return xml('origin-id', { xmlns: NS_SID, id });
}

export function parseOriginId(stanza: Element): string | undefined {
  const id: unknown = stanza.getChild('origin-id', NS_SID)?.attrs['id'];
  return validId(id) ? id : undefined;
}

/** The stanza-id assigned by `by` (our own account's archive); others' are untrusted. */
export function parseStanzaId(stanza: Element, by: string): string | undefined {
  for (const el of stanza.getChildren('stanza-id', NS_SID)) {
    const attrs = el.attrs as Record<string, unknown>;
    if (typeof attrs['by'] === 'string' && attrs['by'].toLowerCase() === by && validId(attrs['id'])) return attrs['id'];
  }
  return undefined;
}

/** The original send time of a delayed (offline-stored) message, in ms, if valid. */
export function parseDelay(stanza: Element): number | undefined {
  const stamp: unknown = stanza.getChild('delay', NS_DELAY)?.attrs['stamp'];
  if (typeof stamp !== 'string' || stamp.length > 40) return undefined;
  const ms = Date.parse(stamp);
  return Number.isFinite(ms) ? ms : undefined;
}
