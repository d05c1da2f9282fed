/**
 * XEP-0313 Message Archive Management (urn:xmpp:mam:2) with XEP-0059 result set paging:
 * queries on our own account's archive, and the result messages they bring.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { parseDelay } from './stanza-ids.ts';

export const NS_MAM = 'urn:xmpp:mam:2';
export const NS_RSM = 'http://jabber.org/protocol/rsm';
export const NS_FORWARD = 'urn:xmpp:forward:0';
const NS_DATA = 'jabber:x:data';
const MAX_ID = 256;

export interface MamQuery {
  queryId: string;
  /** Page size; servers cap it at their own maximum (Prosody: 50). */
  max: number;
  /** Page forward from this archive id (exclusive); "" or absent: from the archive's beginning. */
  after?: string | undefined;
  /** Page backwards: `true` for the newest page, or an archive id (exclusive). */
  before?: true | string | undefined;
  /** Only the conversation with this bare JID. */
  with?: string | undefined;
}

export function buildMamQuery(q: MamQuery): Element {
  const fields = [
    xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS_MAM)),
    ...(q.with ? [xml('field', { var: 'with' }, xml('value', {}, q.with))] : []),
  ];
  const set = xml(
    'set',
    { xmlns: NS_RSM },
    xml('max', {}, String(q.max)),
    ...(q.after ? [xml('after', {}, q.after)] : []),
    ...(q.before === true ? [xml('before')] : q.before !== undefined ? [xml('before', {}, q.before)] : []),
  );
  return xml(
    'query',
    { xmlns: NS_MAM, queryid: q.queryId },
    xml('x', { xmlns: NS_DATA, type: 'submit' }, ...fields),
    set,
  );
}

export interface MamResult {
  queryId: string;
  /** The archive id (our account's stanza-id of the message). */
  archiveId: string;
  /** When the server archived it (ms), from the forwarded <delay/>. */
  timestamp: number | undefined;
  message: Element;
}

const validId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID;

/**
 * A result message of a query on our own archive. Only our own server may send them: the
 * stanza comes from our bare JID or carries no sender. Anything else is not a result.
 */
export function parseMamResult(stanza: Element, ownBare: string): MamResult | undefined {
  if (!stanza.is('message')) return undefined;
  const result = stanza.getChild('result', NS_MAM);
  if (!result) return undefined;
  const from: unknown = stanza.attrs['from'];
  if (from !== undefined && (typeof from !== 'string' || from.toLowerCase() !== ownBare)) return undefined;
  const queryId: unknown = result.attrs['queryid'];
  const archiveId: unknown = result.attrs['id'];
  if (!validId(queryId) || !validId(archiveId)) return undefined;
  const forwarded = result.getChild('forwarded', NS_FORWARD);
  const message = forwarded?.getChild('message');
  if (!forwarded || !message) return undefined;
  return { queryId, archiveId, timestamp: parseDelay(forwarded), message };
}

export interface MamFin {
  complete: boolean;
  first: string | undefined;
  last: string | undefined;
}

export function parseFin(fin: Element | undefined): MamFin {
  if (!fin?.is('fin', NS_MAM)) return { complete: true, first: undefined, last: undefined };
  const set = fin.getChild('set', NS_RSM);
  const first = set?.getChildText('first');
  const last = set?.getChildText('last');
  return {
    complete: fin.attrs['complete'] === 'true' || fin.attrs['complete'] === true,
    first: validId(first) ? first : undefined,
    last: validId(last) ? last : undefined,
  };
}
