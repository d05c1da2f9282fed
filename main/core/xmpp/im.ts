/**
 * What a one-to-one message stanza means, in either direction (live, from a carbon or from
 * the archive): a chat message (possibly a reply, XEP-0461), a correction (XEP-0308), a
 * retraction (XEP-0424), reactions (XEP-0444) or only a chat state (XEP-0085). Builders
 * for the same. Delivery feedback (receipts, markers, errors) is in receipts.ts.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { createHash } from 'node:crypto';
import { MAX_BODY_CHARS } from './chat.ts';
import { parse } from './jid.ts';
import { buildOriginId, parseDelay, parseOriginId, parseStanzaId } from './stanza-ids.ts';

export const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';
export const NS_CORRECT = 'urn:xmpp:message-correct:0';
export const NS_RETRACT = 'urn:xmpp:message-retract:1';
export const NS_RETRACT_0 = 'urn:xmpp:message-retract:0';
export const NS_FASTEN = 'urn:xmpp:fasten:0';
export const NS_REACTIONS = 'urn:xmpp:reactions:0';
export const NS_REPLY = 'urn:xmpp:reply:0';
export const NS_FALLBACK = 'urn:xmpp:fallback:0';
export const NS_HINTS = 'urn:xmpp:hints';
export const NS_CARBONS = 'urn:xmpp:carbons:2';
const NS_FORWARD = 'urn:xmpp:forward:0';

export const CHAT_STATES = ['active', 'composing', 'paused', 'inactive', 'gone'] as const;
export type ChatState = (typeof CHAT_STATES)[number];

const MAX_ID = 256;
/** Reactions: at most this many per sender and message, each at most this long (one emoji, with modifiers). */
export const MAX_REACTIONS = 20;
export const MAX_REACTION_CHARS = 32;

const validId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID;

interface Common {
  direction: 'in' | 'out';
  /** The other side's bare JID. */
  peer: string;
  /** Sender-assigned identity: origin-id, else the stanza id, else a content hash. */
  senderKey: string;
  originId: string | undefined;
  messageId: string | undefined;
  /** Our archive's id for it (XEP-0359 stanza-id by our account), when present. */
  stanzaId: string | undefined;
  timestamp: number;
  /** A chat state sent along (XEP-0085), if any. */
  chatState: ChatState | undefined;
}

export type Im =
  | (Common & { kind: 'chat'; body: string; replyTo: string | undefined })
  | (Common & { kind: 'correction'; target: string; body: string })
  | (Common & { kind: 'retraction'; target: string })
  | (Common & { kind: 'reactions'; target: string; reactions: string[] })
  | (Common & { kind: 'state'; chatState: ChatState });

export type ParsedIm = Im | { kind: 'ignore' } | { kind: 'invalid'; reason: string };

/**
 * Parses a message stanza. `ownBare` is our account; `now` the arrival time (used when
 * the stanza carries no XEP-0203 delay). Messages from our own account are 'out' (sent by
 * one of our devices) with the recipient as peer.
 */
export function parseIm(stanza: Element, ownBare: string, now: number): ParsedIm {
  if (!stanza.is('message')) return { kind: 'ignore' };
  const type: unknown = stanza.attrs['type'] ?? 'normal';
  if (type !== 'chat' && type !== 'normal') return { kind: 'ignore' };
  const from = parse(stanza.attrs['from']);
  if (stanza.attrs['from'] === undefined) return { kind: 'invalid', reason: 'message has no sender' };
  if (!from?.local) return { kind: 'invalid', reason: 'sender is not a valid user address' };
  let direction: 'in' | 'out' = 'in';
  let peer = from.bare;
  if (from.bare === ownBare) {
    const to = parse(stanza.attrs['to']);
    if (!to?.local || to.bare === ownBare) return { kind: 'ignore' }; // notes to self, server-addressed
    direction = 'out';
    peer = to.bare;
  }
  const originId = parseOriginId(stanza);
  const idAttr: unknown = stanza.attrs['id'];
  const messageId = validId(idAttr) ? idAttr : undefined;
  const timestamp = parseDelay(stanza) ?? now;
  const stateEl = stanza.children.find(
    (c): c is Element => typeof c !== 'string' && c.attrs['xmlns'] === NS_CHATSTATES,
  );
  const chatState =
    stateEl && (CHAT_STATES as readonly string[]).includes(stateEl.name) ? (stateEl.name as ChatState) : undefined;
  const rawBody = stanza.getChild('body')?.text();
  if (rawBody !== undefined && rawBody.length > MAX_BODY_CHARS)
    return { kind: 'invalid', reason: `body too large (${String(rawBody.length)} chars)` };
  const key = (salt: string) =>
    originId ??
    messageId ??
    `h:${createHash('sha256')
      .update(`${direction === 'in' ? peer : ownBare}\n${String(timestamp)}\n${salt}`)
      .digest('base64url')}`;
  const common = {
    direction,
    peer,
    originId,
    messageId,
    stanzaId: parseStanzaId(stanza, ownBare),
    timestamp,
    chatState,
  };

  const retract = retractTarget(stanza);
  if (retract !== undefined) {
    return retract === null
      ? { kind: 'invalid', reason: 'retraction without a valid id' }
      : { ...common, kind: 'retraction', target: retract, senderKey: key(`retract:${retract}`) };
  }
  const reactionsEl = stanza.getChild('reactions', NS_REACTIONS);
  if (reactionsEl) {
    const target: unknown = reactionsEl.attrs['id'];
    if (!validId(target)) return { kind: 'invalid', reason: 'reactions without a valid id' };
    const reactions = parseReactions(reactionsEl);
    if (reactions === undefined) return { kind: 'invalid', reason: 'too many or too long reactions' };
    return { ...common, kind: 'reactions', target, reactions, senderKey: key(`react:${target}:${reactions.join()}`) };
  }
  const replace = stanza.getChild('replace', NS_CORRECT);
  if (replace) {
    const target: unknown = replace.attrs['id'];
    if (!validId(target)) return { kind: 'invalid', reason: 'correction without a valid id' };
    if (rawBody === undefined || rawBody.trim().length === 0) return { kind: 'ignore' };
    return { ...common, kind: 'correction', target, body: rawBody, senderKey: key(`correct:${target}:${rawBody}`) };
  }
  if (rawBody === undefined || rawBody.trim().length === 0) {
    return chatState ? { ...common, kind: 'state', chatState, senderKey: key('state') } : { kind: 'ignore' };
  }
  const replyEl = stanza.getChild('reply', NS_REPLY);
  const replyTo: unknown = replyEl?.attrs['id'];
  const body = replyEl ? stripFallback(stanza, rawBody, NS_REPLY) : rawBody;
  return {
    ...common,
    kind: 'chat',
    body: body.trim().length > 0 ? body : rawBody,
    replyTo: validId(replyTo) ? replyTo : undefined,
    senderKey: key(rawBody),
  };
}

/** The retracted message's id; null when a retraction is there but malformed; undefined when none. */
function retractTarget(stanza: Element): string | null | undefined {
  const retract = stanza.getChild('retract', NS_RETRACT);
  if (retract) {
    const id: unknown = retract.attrs['id'];
    return validId(id) ? id : null;
  }
  const fasten = stanza.getChild('apply-to', NS_FASTEN);
  if (fasten?.getChild('retract', NS_RETRACT_0)) {
    const id: unknown = fasten.attrs['id'];
    return validId(id) ? id : null;
  }
  return undefined;
}

function parseReactions(el: Element): string[] | undefined {
  const out: string[] = [];
  for (const r of el.getChildren('reaction')) {
    const text = r.text().trim();
    if (text.length === 0) continue;
    if (text.length > MAX_REACTION_CHARS) return undefined;
    if (!out.includes(text)) out.push(text);
  }
  return out.length > MAX_REACTIONS ? undefined : out;
}

/**
 * The body without the fallback text for `forNs` (XEP-0428: ranges in Unicode code points);
 * the whole body when the ranges make no sense.
 */
export function stripFallback(stanza: Element, body: string, forNs: string): string {
  const fallback = stanza.getChildren('fallback', NS_FALLBACK).find((f) => f.attrs['for'] === forNs);
  if (!fallback) return body;
  const points = Array.from(body);
  const ranges = fallback
    .getChildren('body')
    .map((b) => [Number(b.attrs['start'] ?? 0), Number(b.attrs['end'] ?? points.length)] as const)
    .filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e <= points.length && s < e)
    .sort((a, b) => b[0] - a[0]);
  for (const [s, e] of ranges) points.splice(s, e - s);
  return points.join('');
}

/** A carbon copy (XEP-0280) of a message sent or received by another of our devices. */
export interface Carbon {
  kind: 'sent' | 'received';
  message: Element;
}

/**
 * The forwarded message of a carbon. Only our own account may send carbons (the wrapper's
 * sender is our bare JID): anything else is a spoofing attempt and is not a carbon.
 */
export function parseCarbon(stanza: Element, ownBare: string): Carbon | 'spoofed' | undefined {
  if (!stanza.is('message')) return undefined;
  const wrapper = stanza.getChild('sent', NS_CARBONS) ?? stanza.getChild('received', NS_CARBONS);
  if (!wrapper) return undefined;
  const from: unknown = stanza.attrs['from'];
  if (typeof from !== 'string' || from.toLowerCase() !== ownBare) return 'spoofed';
  const message = wrapper.getChild('forwarded', NS_FORWARD)?.getChild('message');
  if (!message) return undefined;
  return { kind: wrapper.name === 'sent' ? 'sent' : 'received', message };
}

export function buildEnableCarbons(): Element {
  return xml('enable', { xmlns: NS_CARBONS });
}

const store = () => xml('store', { xmlns: NS_HINTS });

/** A chat message; `reply` quotes another (XEP-0461 with an XEP-0428 fallback quote). */
export function buildChat(
  to: string,
  body: string,
  id: string,
  extras: readonly Element[] = [],
  reply?: { id: string; to: string; quote: string },
): Element {
  if (!reply) return xml('message', { type: 'chat', to, id }, xml('body', {}, body), buildOriginId(id), ...extras);
  const quoted =
    reply.quote
      .split('\n')
      .slice(0, 3)
      .map((line) => `> ${line}`)
      .join('\n') + '\n';
  const length = Array.from(quoted).length;
  return xml(
    'message',
    { type: 'chat', to, id },
    xml('body', {}, quoted + body),
    buildOriginId(id),
    xml('reply', { xmlns: NS_REPLY, id: reply.id, to: reply.to }),
    xml('fallback', { xmlns: NS_FALLBACK, for: NS_REPLY }, xml('body', { start: '0', end: String(length) })),
    ...extras,
  );
}

export function buildCorrection(to: string, id: string, target: string, body: string): Element {
  return xml(
    'message',
    { type: 'chat', to, id },
    xml('body', {}, body),
    buildOriginId(id),
    xml('replace', { xmlns: NS_CORRECT, id: target }),
    store(),
  );
}

export function buildRetraction(to: string, id: string, target: string): Element {
  return xml(
    'message',
    { type: 'chat', to, id },
    xml('retract', { xmlns: NS_RETRACT, id: target }),
    // For clients that know the older version of XEP-0424.
    xml('apply-to', { xmlns: NS_FASTEN, id: target }, xml('retract', { xmlns: NS_RETRACT_0 })),
    xml('fallback', { xmlns: NS_FALLBACK, for: NS_RETRACT }),
    xml('body', {}, 'This person attempted to retract a previous message, but it is unsupported by your client.'),
    buildOriginId(id),
    store(),
  );
}

export function buildReactions(to: string, id: string, target: string, reactions: readonly string[]): Element {
  return xml(
    'message',
    { type: 'chat', to, id },
    xml('reactions', { xmlns: NS_REACTIONS, id: target }, ...reactions.map((r) => xml('reaction', {}, r))),
    buildOriginId(id),
    store(),
  );
}

export function buildChatState(to: string, state: ChatState): Element {
  return xml(
    'message',
    { type: 'chat', to },
    xml(state, { xmlns: NS_CHATSTATES }),
    xml('no-store', { xmlns: NS_HINTS }),
  );
}
