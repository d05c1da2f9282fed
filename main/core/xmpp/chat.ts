/** One-to-one chat messages (RFC 6121 §5): parse inbound, build outbound with an origin-id. */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { createHash } from 'node:crypto';
import { parse } from './jid.ts';
import { buildOriginId, parseDelay, parseOriginId, parseStanzaId } from './stanza-ids.ts';

export const MAX_BODY_CHARS = 64 * 1024;

export interface InboundChat {
  peer: string;
  body: string;
  senderKey: string;
  originId?: string | undefined;
  stanzaId?: string | undefined;
  messageId?: string | undefined;
  timestamp: number;
}

export type ParsedMessage =
  { kind: 'chat'; message: InboundChat } | { kind: 'ignore' } | { kind: 'invalid'; reason: string };

/**
 * A chat/normal message with a body from someone else.
 * `ownBare` is our account's bare JID (for stanza-id `by`); `now` the arrival time.
 */
export function parseChatMessage(stanza: Element, ownBare: string, now: number): ParsedMessage {
  if (!stanza.is('message')) return { kind: 'ignore' };
  const type: unknown = stanza.attrs['type'] ?? 'normal';
  if (type !== 'chat' && type !== 'normal') return { kind: 'ignore' };
  const bodyEl = stanza.getChild('body');
  if (!bodyEl) return { kind: 'ignore' };
  const from = parse(stanza.attrs['from']);
  if (!from?.local && stanza.attrs['from'] !== undefined)
    return { kind: 'invalid', reason: 'sender is not a valid user address' };
  if (!from) return { kind: 'invalid', reason: 'message has no sender' };
  if (from.bare === ownBare) return { kind: 'ignore' }; // own messages from other devices: carbons (later issue)
  const body = bodyEl.text();
  if (body.trim().length === 0) return { kind: 'ignore' };
  if (body.length > MAX_BODY_CHARS) return { kind: 'invalid', reason: `body too large (${String(body.length)} chars)` };
  const originId = parseOriginId(stanza);
  const idAttr: unknown = stanza.attrs['id'];
  const messageId = typeof idAttr === 'string' && idAttr.length > 0 && idAttr.length <= 256 ? idAttr : undefined;
  const timestamp = parseDelay(stanza) ?? now;
  const senderKey =
    originId ??
    messageId ??
    `h:${createHash('sha256')
      .update(`${from.bare}\n${String(timestamp)}\n${body}`)
      .digest('base64url')}`;
  return {
    kind: 'chat',
    message: {
      peer: from.bare,
      body,
      senderKey,
      originId,
      stanzaId: parseStanzaId(stanza, ownBare),
      messageId,
      timestamp,
    },
  };
}

/** The stanza id doubles as the origin-id so that every path carries one identity. */
export function buildChatMessage(to: string, body: string, id: string, extras: readonly Element[] = []): Element {
  return xml('message', { type: 'chat', to, id }, xml('body', {}, body), buildOriginId(id), ...extras);
}
