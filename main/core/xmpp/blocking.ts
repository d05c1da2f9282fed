/**
 * XEP-0191 Blocking Command: the blocklist, block and unblock requests, the server's
 * pushes (from our own account only), and the `<blocked/>` error a blocked send earns.
 * Pure parsers and builders; the parsers never throw on hostile input.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { CoreError } from '../errors.ts';
import { parse } from './jid.ts';
import { isLegitimatePush } from './roster.ts';

export const NS_BLOCKING = 'urn:xmpp:blocking';
export const NS_BLOCKING_ERRORS = 'urn:xmpp:blocking:errors';

/** At most this many blocked JIDs are read from a blocklist or push. */
export const MAX_BLOCKLIST = 10_000;
/** At most this many JIDs in one block or unblock request of ours. */
export const MAX_BLOCK_REQUEST = 500;

/**
 * A blocklist entry in normal form: a JID of any shape XEP-0191 allows (domain,
 * domain/resource, user@domain, user@domain/resource), local part and domain lower-cased.
 * Undefined when it is not a JID.
 */
export function normalizeBlockJid(value: unknown): string | undefined {
  const jid = parse(value);
  if (!jid) return undefined;
  return jid.resource ? `${jid.bare}/${jid.resource}` : jid.bare;
}

function itemJids(el: Element, max: number): { jids: string[]; invalid: number } {
  const seen = new Set<string>();
  let invalid = 0;
  for (const item of el.getChildren('item').slice(0, max)) {
    const jid = normalizeBlockJid(item.attrs['jid']);
    if (jid === undefined) invalid++;
    else seen.add(jid);
  }
  return { jids: [...seen], invalid };
}

// --- the blocklist ------------------------------------------------------------------

/** `<blocklist xmlns='urn:xmpp:blocking'/>` (iq get to our own account). */
export function buildBlocklistRequest(): Element {
  return xml('blocklist', { xmlns: NS_BLOCKING });
}

/** The blocked JIDs of a blocklist result (normalized, de-duplicated; invalid ones left out). */
export function parseBlocklist(blocklist: Element): string[] | undefined {
  if (!blocklist.is('blocklist', NS_BLOCKING)) return undefined;
  return itemJids(blocklist, MAX_BLOCKLIST).jids;
}

// --- our requests --------------------------------------------------------------------

function requestJids(jids: string | readonly string[]): string[] {
  const list = typeof jids === 'string' ? [jids] : [...jids];
  if (list.length === 0) throw new CoreError('bad-request', 'Name at least one address.');
  if (list.length > MAX_BLOCK_REQUEST)
    throw new CoreError('bad-request', `At most ${String(MAX_BLOCK_REQUEST)} addresses at a time.`);
  const out = new Set<string>();
  for (const value of list) {
    const jid = normalizeBlockJid(value.trim());
    if (jid === undefined) throw new CoreError('bad-request', `"${value.slice(0, 100)}" is not a valid address.`);
    out.add(jid);
  }
  return [...out];
}

/** `<block><item jid/>…</block>` (iq set): blocks one JID or several. Throws 'bad-request' for none or an invalid one. */
export function buildBlock(jids: string | readonly string[]): Element {
  return xml('block', { xmlns: NS_BLOCKING }, ...requestJids(jids).map((jid) => xml('item', { jid })));
}

/**
 * `<unblock><item jid/>…</unblock>` (iq set): unblocks one JID or several. Never "all":
 * an empty list throws (use buildUnblockAll for that).
 */
export function buildUnblock(jids: string | readonly string[]): Element {
  return xml('unblock', { xmlns: NS_BLOCKING }, ...requestJids(jids).map((jid) => xml('item', { jid })));
}

/** `<unblock/>` without items (iq set): empties the blocklist. */
export function buildUnblockAll(): Element {
  return xml('unblock', { xmlns: NS_BLOCKING });
}

// --- pushes ------------------------------------------------------------------------------

export type BlockingPush =
  { kind: 'block'; jids: string[] } | { kind: 'unblock'; jids: string[] } | { kind: 'unblock-all' };

/**
 * A blocking push (iq set with `<block/>` or `<unblock/>`; the iq or its payload) from
 * `from` (the iq's from attribute). Only our own account may push (no from, or our bare
 * JID); anything else is undefined. A push whose items are all invalid is undefined too:
 * never mistaken for "unblock all".
 */
export function parseBlockingPush(stanza: Element, from: unknown, ownBare: string): BlockingPush | undefined {
  if (!isLegitimatePush(from, ownBare)) return undefined;
  if (stanza.is('iq') && stanza.attrs['type'] !== 'set') return undefined;
  const el = stanza.is('iq')
    ? (stanza.getChild('block', NS_BLOCKING) ?? stanza.getChild('unblock', NS_BLOCKING))
    : stanza;
  if (!el) return undefined;
  const isBlock = el.is('block', NS_BLOCKING);
  if (!isBlock && !el.is('unblock', NS_BLOCKING)) return undefined;
  const hasItems = el.getChildren('item').length > 0;
  const { jids } = itemJids(el, MAX_BLOCKLIST);
  if (isBlock) return jids.length > 0 ? { kind: 'block', jids } : undefined;
  if (!hasItems) return { kind: 'unblock-all' };
  return jids.length > 0 ? { kind: 'unblock', jids } : undefined;
}

/** A blocklist after a push. */
export function applyBlockingPush(list: readonly string[], push: BlockingPush): string[] {
  switch (push.kind) {
    case 'block':
      return [...new Set([...list, ...push.jids])];
    case 'unblock': {
      const gone = new Set(push.jids);
      return list.filter((jid) => !gone.has(jid));
    }
    case 'unblock-all':
      return [];
  }
}

/**
 * The blocklist entry that blocks `jid`, if any. XEP-0191 §3.1 matches like privacy lists
 * (XEP-0016 §2.1): the full JID, then the bare JID, then domain/resource, then the domain.
 */
export function blockedBy(list: ReadonlySet<string>, jid: string): string | undefined {
  const parsed = parse(jid);
  if (!parsed) return undefined;
  const candidates = [
    ...(parsed.resource ? [`${parsed.bare}/${parsed.resource}`] : []),
    parsed.bare,
    ...(parsed.resource ? [`${parsed.domain}/${parsed.resource}`] : []),
    parsed.domain,
  ];
  return candidates.find((c) => list.has(c));
}

// --- the error -----------------------------------------------------------------------------

/**
 * Whether a failure is XEP-0191's "you blocked them" (`<not-acceptable/>` with
 * `<blocked xmlns='urn:xmpp:blocking:errors'/>`): an error stanza, its `<error/>`, or
 * xmpp.js's StanzaError (whose `element` is the `<error/>`).
 */
export function isBlockedError(value: unknown): boolean {
  let el: unknown = value;
  if (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'StanzaError')
    el = (value as { element?: unknown }).element;
  if (typeof el !== 'object' || el === null || typeof (el as Partial<Element>).is !== 'function') return false;
  const element = el as Element;
  const error = element.is('error') ? element : element.getChild('error');
  return error?.getChild('blocked', NS_BLOCKING_ERRORS) !== undefined;
}
