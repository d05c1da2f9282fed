/**
 * XEP-0172 User Nickname: the nickname a contact chose for themselves, carried in presence
 * (subscription requests, MUC joins) and messages, and published on PEP. It is a display
 * hint only, used when the roster has no name for the contact; it is never an identity.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { NS_PUBSUB, pepItems } from './avatar.ts';

export const NS_NICK = 'http://jabber.org/protocol/nick';
/** The entity-capabilities feature that subscribes us to contacts' nicknames (XEP-0163 +notify). */
export const NS_NICK_NOTIFY = `${NS_NICK}+notify`;
/** The longest nickname we keep (Unicode code points). */
export const MAX_NICK = 100;
/** The longest name displayName returns (the roster's own limit). */
const MAX_NAME = 1024;

/** C0 and C1 controls, and the line and paragraph separators: they become spaces (or go, in multi-line text). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu;
// eslint-disable-next-line no-control-regex -- the same, but newlines and tabs stay
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/gu;
/** The byte-order mark, and the bidirectional embeddings, overrides and isolates that can disguise a name. */
const INVISIBLE_FORMATS = /[\ufeff\u202a-\u202e\u2066-\u2069]/gu;

/** At most `max` code points, never splitting a surrogate pair. */
function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  return Array.from(value).slice(0, max).join('');
}

/**
 * Untrusted text for display: no control characters, whitespace runs collapsed (one line,
 * unless `multiline`), trimmed, at most `max` code points; undefined when nothing is left.
 */
export function cleanDisplayText(value: unknown, max: number, multiline = false): string | undefined {
  if (typeof value !== 'string') return undefined;
  // A bound before any regular expression runs over hostile input.
  let text = value.length > max * 4 + 64 ? value.slice(0, max * 4 + 64) : value;
  if (multiline) {
    text = text
      .replace(/\r\n?/gu, '\n')
      .replace(CONTROLS_BUT_LINES, '')
      .replace(INVISIBLE_FORMATS, '')
      .replace(/[^\S\n]+/gu, ' ')
      .replace(/\n{3,}/gu, '\n\n');
  } else {
    text = text.replace(INVISIBLE_FORMATS, '').replace(CONTROLS, ' ').replace(/\s+/gu, ' ');
  }
  text = truncate(text.trim(), max).trim();
  return text === '' ? undefined : text;
}

/** The nickname a stanza (presence or message) carries, cleaned; undefined when none or empty. */
export function parseNick(stanza: Element): string | undefined {
  const nick = stanza.getChild('nick', NS_NICK);
  return nick ? cleanDisplayText(nick.getText(), MAX_NICK) : undefined;
}

export interface NickEvent {
  /** The publisher's bare JID. */
  jid: string;
  /** Their nickname; undefined when they removed it (an empty nick or a retraction). */
  nick: string | undefined;
}

/** A PEP notification of a nickname (XEP-0172 §4.5); undefined for any other stanza. */
export function parseNickEvent(stanza: Element): NickEvent | undefined {
  const pep = pepItems(stanza, NS_NICK);
  if (!pep) return undefined;
  const items = pep.items.getChildren('item');
  for (let i = items.length - 1; i >= 0; i--) {
    const nick = items[i]?.getChild('nick', NS_NICK);
    if (nick) return { jid: pep.jid, nick: cleanDisplayText(nick.getText(), MAX_NICK) };
  }
  if (pep.items.getChild('retract')) return { jid: pep.jid, nick: undefined };
  return undefined;
}

/** The <nick/> to put in a subscription request, a MUC join or a first message. */
export function buildNick(nick: string): Element {
  return xml('nick', { xmlns: NS_NICK }, truncate(nick, MAX_NICK));
}

/** Publish our nickname on PEP (payload for an IQ set to our bare JID); an empty nick clears it. */
export function buildNickPublish(nick: string): Element {
  return xml(
    'pubsub',
    { xmlns: NS_PUBSUB },
    xml('publish', { node: NS_NICK }, xml('item', { id: 'current' }, buildNick(nick))),
  );
}

/**
 * The name to show for a contact: the roster's name (the user's own choice), else the
 * nickname they published (XEP-0172), else their vCard's nickname or full name, else the JID.
 */
export function displayName(sources: {
  jid: string;
  rosterName?: string | undefined;
  nick?: string | undefined;
  vcardNickname?: string | undefined;
  vcardFullName?: string | undefined;
}): string {
  for (const candidate of [sources.rosterName, sources.nick, sources.vcardNickname, sources.vcardFullName]) {
    const clean = cleanDisplayText(candidate, MAX_NAME);
    if (clean) return clean;
  }
  return sources.jid;
}
