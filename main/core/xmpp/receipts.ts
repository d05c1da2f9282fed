/**
 * Delivery feedback on one-to-one messages: XEP-0184 receipts (request/received) and
 * XEP-0333 chat markers (markable/received/displayed), and error bounces.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';

export const NS_RECEIPTS = 'urn:xmpp:receipts';
export const NS_MARKERS = 'urn:xmpp:chat-markers:0';

export type Feedback =
  { kind: 'delivered'; id: string } | { kind: 'read'; id: string } | { kind: 'error'; id: string; reason: string };

const validId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= 256;

/** What a stanza says about a message we sent, if anything. */
export function parseFeedback(stanza: Element): Feedback | undefined {
  if (!stanza.is('message')) return undefined;
  if (stanza.attrs['type'] === 'error') {
    const id: unknown = stanza.attrs['id'];
    if (!validId(id)) return undefined;
    const error = stanza.getChild('error');
    const condition = error?.children.find((c): c is Element => typeof c !== 'string' && c.name !== 'text')?.name;
    const text = error?.getChildText('text');
    const reason = text ? `${condition ?? 'error'}: ${text.slice(0, 300)}` : (condition ?? 'error');
    return { kind: 'error', id, reason: describeCondition(reason) };
  }
  const receipt: unknown = stanza.getChild('received', NS_RECEIPTS)?.attrs['id'];
  if (validId(receipt)) return { kind: 'delivered', id: receipt };
  const displayed: unknown = stanza.getChild('displayed', NS_MARKERS)?.attrs['id'];
  if (validId(displayed)) return { kind: 'read', id: displayed };
  const received: unknown = stanza.getChild('received', NS_MARKERS)?.attrs['id'];
  if (validId(received)) return { kind: 'delivered', id: received };
  return undefined;
}

const CONDITIONS: Record<string, string> = {
  'service-unavailable': 'the recipient cannot receive messages (service-unavailable)',
  'item-not-found': 'no such recipient (item-not-found)',
  'remote-server-not-found': "the recipient's server could not be reached (remote-server-not-found)",
  'remote-server-timeout': "the recipient's server did not answer (remote-server-timeout)",
  forbidden: 'not allowed to send to this recipient (forbidden)',
  'not-acceptable': 'the server refused the message (not-acceptable)',
  'policy-violation': 'the server refused the message (policy-violation)',
  'resource-constraint': 'the server is overloaded (resource-constraint)',
};

function describeCondition(reason: string): string {
  return CONDITIONS[reason] ?? reason;
}

/** The receipt request (XEP-0184) and markable hint (XEP-0333) every outbound chat carries. */
export function feedbackRequests(): Element[] {
  return [xml('request', { xmlns: NS_RECEIPTS }), xml('markable', { xmlns: NS_MARKERS })];
}

export function wantsReceipt(stanza: Element): boolean {
  return stanza.getChild('request', NS_RECEIPTS) !== undefined;
}

export function buildReceipt(to: string, id: string, receiptId: string): Element {
  return xml('message', { to, id }, xml('received', { xmlns: NS_RECEIPTS, id: receiptId }));
}

/** XEP-0333: the user has seen the message sent with `markedId` (and everything before it). */
export function buildDisplayed(to: string, id: string, markedId: string): Element {
  return xml(
    'message',
    { to, id, type: 'chat' },
    xml('displayed', { xmlns: NS_MARKERS, id: markedId }),
    xml('store', { xmlns: 'urn:xmpp:hints' }),
  );
}
