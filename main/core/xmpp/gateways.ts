/**
 * XEP-0100 Gateway Interaction: which of the server's services are gateways (transports)
 * to other networks, and the jabber:iq:gateway prompt that turns a legacy address into a
 * JID at the gateway.
 *
 * Registering with a gateway is XEP-0077 against the gateway's JID: register.ts's
 * `buildRegistrationQuery` (iq get), `parseRegistrationForm`, `buildRegistrationSubmit`
 * (iq set) and `buildRemove` (unregister). Its contacts then arrive as roster items and
 * subscriptions from user@gateway (roster-ops.ts; the gateway's own subscription comes
 * from its bare domain: `parseSubscription(…, { acceptDomain: isGateway })`).
 * Pure; parsers never throw on hostile input.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { discoKey, hasFeature, type DiscoInfo, type DiscoItem } from './disco.ts';
import { parse } from './jid.ts';
import { cleanText, NS_REGISTER } from './register.ts';

export const NS_GATEWAY = 'jabber:iq:gateway';

const MAX_NAME = 256;
const MAX_DESC = 1024;
const MAX_PROMPT = 256;
const GATEWAY_TYPE = /^[a-z0-9][a-z0-9._+-]{0,63}$/u;

/**
 * The English names of the gateway types of the XMPP Registrar's disco categories, and of
 * a few common since. Any other well-formed type is shown as it is.
 */
export const GATEWAY_TYPES: Readonly<Record<string, string>> = {
  aim: 'AIM',
  discord: 'Discord',
  facebook: 'Facebook',
  'gadu-gadu': 'Gadu-Gadu',
  'http-ws': 'HTTP web service',
  icq: 'ICQ',
  irc: 'IRC',
  lcs: 'Live Communications Server',
  matrix: 'Matrix',
  mrim: 'Mail.ru Agent',
  msn: 'MSN',
  myspaceim: 'MySpaceIM',
  ocs: 'Office Communications Server',
  pstn: 'Telephone (PSTN)',
  qq: 'QQ',
  sametime: 'Sametime',
  signal: 'Signal',
  simple: 'SIP/SIMPLE',
  skype: 'Skype',
  sms: 'SMS',
  smtp: 'Email (SMTP)',
  steam: 'Steam',
  telegram: 'Telegram',
  tlen: 'Tlen',
  whatsapp: 'WhatsApp',
  xfire: 'Xfire',
  xmpp: 'XMPP',
  yahoo: 'Yahoo!',
};

export interface Gateway {
  /** The gateway's JID (a domain, as a rule). */
  jid: string;
  /** The legacy network's type (identity type), lower-case: 'icq', 'irc', 'telegram', … */
  type: string;
  /** What to call it: its identity's name, else the item's, else the type's English name. Cleaned. */
  name: string;
  /** It takes XEP-0077 registrations (jabber:iq:register). */
  registrable: boolean;
  /** It translates legacy addresses (jabber:iq:gateway). */
  prompt: boolean;
}

/** The gateway identity of one disco#info answer, if it is a gateway. */
export function gatewayOf(item: DiscoItem, info: DiscoInfo): Gateway | undefined {
  const identity = info.identities.find((i) => i.category === 'gateway' && GATEWAY_TYPE.test(i.type.toLowerCase()));
  if (!identity) return undefined;
  const type = identity.type.toLowerCase();
  const known = Object.hasOwn(GATEWAY_TYPES, type) ? GATEWAY_TYPES[type] : undefined;
  const name =
    cleanText(identity.name ?? '', MAX_NAME) || cleanText(item.name ?? '', MAX_NAME) || (known ?? type.toUpperCase());
  return {
    jid: item.jid,
    type,
    name,
    registrable: hasFeature(info, NS_REGISTER),
    prompt: hasFeature(info, NS_GATEWAY),
  };
}

/**
 * The gateways among the server's disco#items, given their disco#info answers (keyed by
 * `discoKey(jid, node)`; items without an answer are skipped), in the server's order.
 */
export function findGateways(items: readonly DiscoItem[], infos: ReadonlyMap<string, DiscoInfo>): Gateway[] {
  const out: Gateway[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const info = infos.get(discoKey(item.jid, item.node));
    if (!info || seen.has(item.jid)) continue;
    const gateway = gatewayOf(item, info);
    if (!gateway) continue;
    seen.add(item.jid);
    out.push(gateway);
  }
  return out;
}

/** The gateway a contact's JID belongs to (its domain is the gateway's JID), if any. */
export function gatewayForContact(jid: string, gateways: readonly Pick<Gateway, 'jid'>[]): string | undefined {
  const domain = parse(jid)?.domain;
  if (domain === undefined) return undefined;
  return gateways.find((g) => parse(g.jid)?.bare === domain)?.jid;
}

// --- jabber:iq:gateway --------------------------------------------------------------

/** `<query xmlns='jabber:iq:gateway'/>` (iq get to the gateway): asks what to enter. */
export function buildGatewayPromptRequest(): Element {
  return xml('query', { xmlns: NS_GATEWAY });
}

export interface GatewayPrompt {
  /** The gateway's explanation; plain text. */
  desc?: string;
  /** The label of the field (e.g. "Contact ID"). */
  prompt?: string;
}

export function parseGatewayPrompt(query: Element): GatewayPrompt | undefined {
  if (!query.is('query', NS_GATEWAY)) return undefined;
  const desc = cleanText(query.getChildText('desc') ?? '', MAX_DESC);
  const prompt = cleanText(query.getChildText('prompt') ?? '', MAX_PROMPT);
  return { ...(desc ? { desc } : {}), ...(prompt ? { prompt } : {}) };
}

/** `<query><prompt>legacy id</prompt></query>` (iq set to the gateway): asks for the JID of a legacy address. */
export function buildGatewayPromptSubmit(legacyId: string): Element {
  return xml('query', { xmlns: NS_GATEWAY }, xml('prompt', {}, legacyId.trim().slice(0, MAX_PROMPT)));
}

/**
 * The JID the gateway gave for a legacy address (`<jid/>`, or `<prompt/>` from older
 * gateways): a bare JID at the gateway itself, or undefined (a gateway cannot hand out
 * addresses elsewhere).
 */
export function parseGatewayPromptResult(query: Element, gatewayJid: string): string | undefined {
  if (!query.is('query', NS_GATEWAY)) return undefined;
  const gateway = parse(gatewayJid)?.bare;
  const text = (query.getChildText('jid') ?? query.getChildText('prompt') ?? '').trim();
  const jid = parse(text);
  if (!gateway || !jid?.local || jid.resource !== '' || jid.domain !== gateway) return undefined;
  return jid.bare;
}
