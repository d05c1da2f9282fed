/**
 * RFC 6121 roster management (§2.3 add/update, §2.5 delete) with XEP-0237 roster
 * versioning, and presence subscriptions (§3) with XEP-0172 nicknames.
 * Reading the roster (get, items, push legitimacy) is roster.ts; availability presence is
 * presence.ts. Builders throw CoreError('bad-request') on invalid input of ours; parsers
 * never throw on hostile input.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { CoreError } from '../errors.ts';
import { parse } from './jid.ts';
import { cleanText } from './register.ts';
import { buildRosterGet, isLegitimatePush, NS_ROSTER, parseRosterItem, parseRosterQuery } from './roster.ts';
import type { RosterChange } from './roster.ts';

export const NS_ROSTERVER_FEATURE = 'urn:xmpp:features:rosterver';
export const NS_NICK = 'http://jabber.org/protocol/nick';

export const MAX_GROUPS = 100;
export const MAX_GROUP_CHARS = 1000;
const MAX_NAME = 1024;
const MAX_VER = 1024;
const MAX_STATUS = 1024;
const MAX_NICK = 256;

function attr(el: Element, name: string): string | undefined {
  const value: unknown = el.attrs[name];
  return typeof value === 'string' ? value : undefined;
}

function bareOrThrow(jid: string): string {
  const parsed = parse(jid.trim());
  if (parsed?.resource !== '') throw new CoreError('bad-request', `"${jid.slice(0, 100)}" is not a valid address.`);
  return parsed.bare;
}

// --- roster set and remove ----------------------------------------------------------

/** Group names trimmed, empty ones dropped, duplicates removed (first kept). Throws past the limits. */
export function normalizeGroups(groups: readonly string[]): string[] {
  const out = [...new Set(groups.map((g) => g.trim()).filter((g) => g !== ''))];
  if (out.length > MAX_GROUPS) throw new CoreError('bad-request', `At most ${String(MAX_GROUPS)} groups.`);
  if (out.some((g) => g.length > MAX_GROUP_CHARS))
    throw new CoreError('bad-request', `A group name can have at most ${String(MAX_GROUP_CHARS)} characters.`);
  return out;
}

export interface RosterEntry {
  jid: string;
  /** Trimmed; empty or absent: no name. */
  name?: string | undefined;
  groups?: readonly string[] | undefined;
}

/** `<query><item jid name><group/>…</item></query>` (iq set): adds a contact or replaces its name and groups. */
export function buildRosterSet(entry: RosterEntry): Element {
  const jid = bareOrThrow(entry.jid);
  const name = entry.name?.trim() ?? '';
  if (name.length > MAX_NAME)
    throw new CoreError('bad-request', `A name can have at most ${String(MAX_NAME)} characters.`);
  const groups = normalizeGroups(entry.groups ?? []);
  return xml(
    'query',
    { xmlns: NS_ROSTER },
    xml('item', { jid, ...(name ? { name } : {}) }, ...groups.map((g) => xml('group', {}, g))),
  );
}

/** `<query><item jid subscription='remove'/></query>` (iq set): removes a contact (and both subscriptions). */
export function buildRosterRemove(jid: string): Element {
  return xml('query', { xmlns: NS_ROSTER }, xml('item', { jid: bareOrThrow(jid), subscription: 'remove' }));
}

// --- XEP-0237 roster versioning -------------------------------------------------------

/** The server announced `<ver xmlns='urn:xmpp:features:rosterver'/>` in its stream features. */
export function supportsRosterVersioning(features: Element): boolean {
  return features.getChild('ver', NS_ROSTERVER_FEATURE) !== undefined;
}

/**
 * The roster get: with `ver` when the server versions rosters (`''` on the first fetch,
 * else the version of the roster we stored), without it otherwise (pass undefined).
 */
export function buildRosterGetVersioned(ver: string | undefined): Element {
  if (ver === undefined) return buildRosterGet();
  return xml('query', { xmlns: NS_ROSTER, ver });
}

/** The `ver` of a roster result or push `<query/>`, if valid. */
export function parseRosterVersion(query: Element): string | undefined {
  if (!query.is('query', NS_ROSTER)) return undefined;
  const ver = attr(query, 'ver');
  // Opaque to us, but bounded and printable: it goes back to the server and into the archive.
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (ver === undefined || ver.length > MAX_VER || /[\u0000-\u001f\u007f]/u.test(ver)) return undefined;
  return ver;
}

export type RosterResult =
  /** XEP-0237 §2.4: an empty result; the stored roster is current and pushes of the changes follow. */
  { kind: 'unchanged' } | { kind: 'full'; ver?: string; changes: RosterChange[] };

/** A roster get's result payload (what xmpp.js's iq.get resolves with: undefined for an empty result). */
export function parseRosterResult(payload: Element | undefined): RosterResult {
  if (!payload?.is('query', NS_ROSTER)) return { kind: 'unchanged' };
  const ver = parseRosterVersion(payload);
  return { kind: 'full', ...(ver !== undefined ? { ver } : {}), changes: parseRosterQuery(payload) };
}

export interface RosterPush {
  change: RosterChange;
  ver?: string;
}

/**
 * A roster push (the iq set's `<query/>`) from `from`: only from our own account
 * (RFC 6121 §2.1.6), with exactly one item (§2.1.6: else the push is ignored).
 */
export function parseRosterPush(query: Element, from: unknown, ownBare: string): RosterPush | undefined {
  if (!isLegitimatePush(from, ownBare) || !query.is('query', NS_ROSTER)) return undefined;
  const items = query.getChildren('item');
  if (items.length !== 1 || !items[0]) return undefined;
  const change = parseRosterItem(items[0]);
  if (!change) return undefined;
  const ver = parseRosterVersion(query);
  return { change, ...(ver !== undefined ? { ver } : {}) };
}

// --- subscriptions (RFC 6121 §3) ----------------------------------------------------------

export type SubscriptionKind = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';
const KINDS = new Set<string>(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']);

/** Asks to see `to`'s presence, optionally with a note and our nickname (XEP-0172). */
export function buildSubscribe(to: string, options: { status?: string; nick?: string } = {}): Element {
  const status = options.status?.trim().slice(0, MAX_STATUS);
  const nick = options.nick?.trim().slice(0, MAX_NICK);
  return xml(
    'presence',
    { to: bareOrThrow(to), type: 'subscribe' },
    ...(status ? [xml('status', {}, status)] : []),
    ...(nick ? [xml('nick', { xmlns: NS_NICK }, nick)] : []),
  );
}

/** Lets `to` see our presence (approves its request, or pre-approves one). */
export function buildSubscribed(to: string): Element {
  return xml('presence', { to: bareOrThrow(to), type: 'subscribed' });
}

/** Stops seeing `to`'s presence. */
export function buildUnsubscribe(to: string): Element {
  return xml('presence', { to: bareOrThrow(to), type: 'unsubscribe' });
}

/** Stops `to` from seeing our presence (or declines its request). */
export function buildUnsubscribed(to: string): Element {
  return xml('presence', { to: bareOrThrow(to), type: 'unsubscribed' });
}

export interface SubscriptionPresence {
  kind: SubscriptionKind;
  /** The sender's bare JID. */
  from: string;
  status?: string;
  nick?: string;
}

export interface SubscriptionOptions {
  /**
   * Accept one from a bare domain (no local part) for which this says yes: an XEP-0100
   * gateway subscribes from its own JID. Without it, such presences are rejected.
   */
  acceptDomain?: (domain: string) => boolean;
}

/**
 * A subscription presence (subscribe, subscribed, unsubscribe, unsubscribed). Undefined for
 * anything else, and for a sender that is not a valid user JID (a bare domain only when
 * `acceptDomain` says so). Status and nickname are cleaned and bounded.
 */
export function parseSubscription(
  stanza: Element,
  options: SubscriptionOptions = {},
): SubscriptionPresence | undefined {
  if (!stanza.is('presence')) return undefined;
  const type = attr(stanza, 'type');
  if (type === undefined || !KINDS.has(type)) return undefined;
  const from = parse(stanza.attrs['from']);
  if (!from) return undefined;
  if (!from.local && !(options.acceptDomain?.(from.domain) ?? false)) return undefined;
  const status = cleanText(stanza.getChildText('status') ?? '', MAX_STATUS);
  const nick = type === 'subscribe' ? cleanText(stanza.getChild('nick', NS_NICK)?.text() ?? '', MAX_NICK) : '';
  return {
    kind: type as SubscriptionKind,
    from: from.bare,
    ...(status ? { status } : {}),
    ...(nick ? { nick } : {}),
  };
}
