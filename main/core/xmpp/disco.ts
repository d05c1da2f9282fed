/**
 * XEP-0030 Service Discovery (disco#info, disco#items), XEP-0128 extended information,
 * XEP-0115 Entity Capabilities (the verification string, the presence `<c/>`), and what
 * Parley itself answers to a disco#info query.
 *
 * Pure parsers and builders. The parsers keep identities, features and form values exactly
 * as sent (the caps hash is computed over them), bounded; consumers clean text before
 * showing it. They never throw on hostile input.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { createHash } from 'node:crypto';
import { formTypeOf, NS_DATA, parseRawFields, type RawField } from './data-form.ts';
import { NS_BLOCKING } from './blocking.ts';
import { NS_CARBONS, NS_CHATSTATES, NS_CORRECT, NS_HINTS, NS_REACTIONS, NS_REPLY, NS_RETRACT } from './im.ts';
import { parse } from './jid.ts';
import { NS_MARKERS, NS_RECEIPTS } from './receipts.ts';
import { NS_BYTESTREAMS, NS_IBB, NS_SI, NS_SI_FT } from '../transfer/si.ts';
import { NS_JINGLE, NS_JINGLE_FT, NS_JINGLE_IBB, NS_JINGLE_S5B } from '../transfer/jingle.ts';
import { NS_OOB } from './register.ts';
import { NS_NICK } from './roster-ops.ts';
import { NS_IDLE, NS_LAST, NS_PING, NS_TIME, NS_VERSION } from './software.ts';
import { NS_SID } from './stanza-ids.ts';

export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
export const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
export const NS_CAPS = 'http://jabber.org/protocol/caps';

/** The caps node: a URI naming the application (XEP-0115 §4). */
export const PARLEY_CAPS_NODE = 'https://parley.org';

/** At most this many features, and this many items, are read from one answer. */
export const MAX_FEATURES = 1000;
export const MAX_ITEMS = 1000;
const MAX_IDENTITIES = 100;
const MAX_FORMS = 20;
const MAX_FORM_FIELDS = 100;
const MAX_FORM_VALUES = 100;
/** Categories, types and xml:lang values. */
const MAX_TOKEN = 256;
/** Names, features, nodes and form values. */
const MAX_STRING = 1024;
const MAX_VER = 256;

export interface DiscoIdentity {
  category: string;
  type: string;
  name?: string;
  lang?: string;
}

/** An XEP-0128 extended information form: one with a hidden FORM_TYPE. */
export interface DiscoForm {
  formType: string;
  /** Every field but FORM_TYPE, values exactly as sent. */
  fields: RawField[];
}

export interface DiscoInfo {
  node?: string;
  identities: DiscoIdentity[];
  features: string[];
  forms: DiscoForm[];
}

/** What `parseDiscoInfo` returns: the info, and why XEP-0115 §5.4 would call it ill-formed, if it would. */
export interface ParsedDiscoInfo extends DiscoInfo {
  /** Set when the answer must not be trusted for a caps hash (left out parts, conflicting FORM_TYPEs). */
  illFormed?: string;
}

export interface DiscoItem {
  jid: string;
  node?: string;
  name?: string;
}

export interface DiscoItems {
  node?: string;
  items: DiscoItem[];
  /** More than MAX_ITEMS: the rest were left out. */
  truncated: boolean;
}

function attr(el: Element, name: string): string | undefined {
  const value: unknown = el.attrs[name];
  return typeof value === 'string' ? value : undefined;
}

const fits = (value: string | undefined, max: number): value is string =>
  value !== undefined && value !== '' && value.length <= max;

// --- requests -------------------------------------------------------------------

/** `<query xmlns='…disco#info' node=…/>` (iq get). For a caps hash: node = `${caps.node}#${caps.ver}`. */
export function buildDiscoInfoQuery(node?: string): Element {
  return xml('query', { xmlns: NS_DISCO_INFO, ...(node !== undefined ? { node } : {}) });
}

/** `<query xmlns='…disco#items' node=…/>` (iq get). */
export function buildDiscoItemsQuery(node?: string): Element {
  return xml('query', { xmlns: NS_DISCO_ITEMS, ...(node !== undefined ? { node } : {}) });
}

/** The disco#info node that describes a caps hash (XEP-0115 §6.2). */
export function capsNode(caps: Pick<Caps, 'node' | 'ver'>): string {
  return `${caps.node}#${caps.ver}`;
}

// --- parsing answers ----------------------------------------------------------------

/** A disco#info result's `<query/>`; undefined when it is not one. */
export function parseDiscoInfo(query: Element): ParsedDiscoInfo | undefined {
  if (!query.is('query', NS_DISCO_INFO)) return undefined;
  const problems: string[] = [];
  const node = attr(query, 'node');

  const identities: DiscoIdentity[] = [];
  const identityEls = query.getChildren('identity');
  if (identityEls.length > MAX_IDENTITIES) problems.push('too many identities');
  for (const el of identityEls.slice(0, MAX_IDENTITIES)) {
    const category = attr(el, 'category');
    const type = attr(el, 'type');
    const name = attr(el, 'name');
    const lang = attr(el, 'xml:lang');
    if (!fits(category, MAX_TOKEN) || !fits(type, MAX_TOKEN)) {
      problems.push('an identity without a valid category and type');
      continue;
    }
    if ((name !== undefined && name.length > MAX_STRING) || (lang !== undefined && lang.length > MAX_TOKEN)) {
      problems.push('an identity over the length limits');
      continue;
    }
    identities.push({
      category,
      type,
      ...(name !== undefined && name !== '' ? { name } : {}),
      ...(lang !== undefined && lang !== '' ? { lang } : {}),
    });
  }

  const features: string[] = [];
  const featureEls = query.getChildren('feature');
  if (featureEls.length > MAX_FEATURES) problems.push('too many features');
  for (const el of featureEls.slice(0, MAX_FEATURES)) {
    const feature = attr(el, 'var');
    if (fits(feature, MAX_STRING)) features.push(feature);
    else problems.push('a feature without a valid var');
  }

  const forms: DiscoForm[] = [];
  const formEls = query.getChildren('x', NS_DATA);
  if (formEls.length > MAX_FORMS) problems.push('too many forms');
  for (const el of formEls.slice(0, MAX_FORMS)) {
    const formTypeField = el.getChildren('field').find((f) => f.attrs['var'] === 'FORM_TYPE');
    // XEP-0115 §5.4: a form without a hidden FORM_TYPE is ignored.
    if (formTypeField?.attrs['type'] !== 'hidden') continue;
    const formType = formTypeOf(el);
    if (!fits(formType, MAX_STRING)) {
      problems.push('a form with an unusable FORM_TYPE');
      continue;
    }
    if (new Set(formTypeField.getChildren('value').map((v) => v.text())).size > 1)
      problems.push('a FORM_TYPE with several values');
    const raw = parseRawFields(el, {
      maxFields: MAX_FORM_FIELDS,
      maxValues: MAX_FORM_VALUES,
      maxLength: MAX_STRING,
    });
    if (raw.incomplete) problems.push('a form over the limits');
    forms.push({ formType, fields: raw.fields.filter((f) => f.var !== 'FORM_TYPE') });
  }

  return {
    ...(fits(node, MAX_STRING) ? { node } : {}),
    identities,
    features,
    forms,
    ...(problems.length > 0 ? { illFormed: problems[0] } : {}),
  };
}

/** A disco#items result's `<query/>`; items without a valid JID, or over the limits, are left out. */
export function parseDiscoItems(query: Element): DiscoItems | undefined {
  if (!query.is('query', NS_DISCO_ITEMS)) return undefined;
  const node = attr(query, 'node');
  const items: DiscoItem[] = [];
  const els = query.getChildren('item');
  for (const el of els.slice(0, MAX_ITEMS)) {
    const jid = parse(attr(el, 'jid'));
    if (!jid) continue;
    const itemNode = attr(el, 'node');
    const name = attr(el, 'name');
    items.push({
      jid: jid.resource ? `${jid.bare}/${jid.resource}` : jid.bare,
      ...(fits(itemNode, MAX_STRING) ? { node: itemNode } : {}),
      ...(fits(name, MAX_STRING) ? { name } : {}),
    });
  }
  return { ...(fits(node, MAX_STRING) ? { node } : {}), items, truncated: els.length > MAX_ITEMS };
}

export function hasFeature(info: Pick<DiscoInfo, 'features'>, feature: string): boolean {
  return info.features.includes(feature);
}

export function hasIdentity(info: Pick<DiscoInfo, 'identities'>, category: string, type?: string): boolean {
  return info.identities.some((i) => i.category === category && (type === undefined || i.type === type));
}

/** A key for a map of disco#info answers by item: the JID, and the node when there is one. */
export function discoKey(jid: string, node?: string): string {
  // A NUL cannot occur in XML, so it cannot occur in a JID or a node.
  return node === undefined ? jid : `${jid}\u0000${node}`;
}

// --- XEP-0115: the verification string ---------------------------------------------

/** The hash functions we verify (IANA names, XEP-0115 §5.1); sha-1 is mandatory. */
const HASHES: Readonly<Record<string, string>> = {
  'sha-1': 'sha1',
  'sha-224': 'sha224',
  'sha-256': 'sha256',
  'sha-384': 'sha384',
  'sha-512': 'sha512',
};

export function isSupportedCapsHash(hash: string): boolean {
  return Object.hasOwn(HASHES, hash);
}

/** RFC 4790 "i;octet": compares the UTF-8 bytes. */
function octets(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The string S of XEP-0115 §5.1 (before hashing). */
export function capsString(info: DiscoInfo): string {
  let s = '';
  const identities = [...info.identities].sort(
    (a, b) =>
      octets(a.category, b.category) ||
      octets(a.type, b.type) ||
      octets(a.lang ?? '', b.lang ?? '') ||
      octets(a.name ?? '', b.name ?? ''),
  );
  for (const i of identities) s += `${i.category}/${i.type}/${i.lang ?? ''}/${i.name ?? ''}<`;
  for (const feature of [...info.features].sort(octets)) s += `${feature}<`;
  for (const form of [...info.forms].sort((a, b) => octets(a.formType, b.formType))) {
    s += `${form.formType}<`;
    const fields = form.fields.filter((f) => f.var !== 'FORM_TYPE').sort((a, b) => octets(a.var, b.var));
    for (const field of fields) {
      s += `${field.var}<`;
      for (const value of [...field.values].sort(octets)) s += `${value}<`;
    }
  }
  return s;
}

/**
 * The XEP-0115 verification string of a disco#info answer: S hashed (SHA-1 unless told
 * otherwise), Base64. Undefined for a hash function we do not support.
 */
export function capsVerification(info: DiscoInfo): string;
export function capsVerification(info: DiscoInfo, hash: string): string | undefined;
export function capsVerification(info: DiscoInfo, hash = 'sha-1'): string | undefined {
  const algorithm = Object.hasOwn(HASHES, hash) ? HASHES[hash] : undefined;
  if (algorithm === undefined) return undefined;
  return createHash(algorithm).update(capsString(info), 'utf8').digest('base64');
}

/**
 * Why XEP-0115 §5.4 calls this answer ill-formed (duplicate identities, features or
 * FORM_TYPEs, or what the parser flagged), or undefined when it is well-formed.
 */
export function capsProblem(info: DiscoInfo & { illFormed?: string }): string | undefined {
  if (info.illFormed !== undefined) return info.illFormed;
  if (info.identities.length === 0) return 'no identity';
  const ids = new Set(info.identities.map((i) => `${i.category}/${i.type}/${i.lang ?? ''}/${i.name ?? ''}`));
  if (ids.size !== info.identities.length) return 'duplicate identities';
  if (new Set(info.features).size !== info.features.length) return 'duplicate features';
  if (new Set(info.forms.map((f) => f.formType)).size !== info.forms.length) return 'duplicate FORM_TYPEs';
  return undefined;
}

/**
 * XEP-0115 §5.4: the answer is well-formed and its recomputed hash equals the advertised
 * `ver`. Only then may it be cached for everyone who advertises that `ver`.
 */
export function verifyCaps(info: DiscoInfo & { illFormed?: string }, ver: string, hash = 'sha-1'): boolean {
  if (capsProblem(info) !== undefined) return false;
  const computed = capsVerification(info, hash);
  return computed !== undefined && computed === ver;
}

// --- XEP-0115: the <c/> element ---------------------------------------------------

export interface Caps {
  hash: string;
  node: string;
  ver: string;
}

/**
 * The `<c xmlns='http://jabber.org/protocol/caps'/>` of a presence (or the element itself).
 * Undefined without one, or for the legacy format (no `hash`), or with unusable attributes.
 */
export function parseCaps(stanza: Element): Caps | undefined {
  const c = stanza.is('c', NS_CAPS) ? stanza : stanza.getChild('c', NS_CAPS);
  if (!c) return undefined;
  const hash = attr(c, 'hash')?.toLowerCase();
  const node = attr(c, 'node');
  const ver = attr(c, 'ver');
  if (!fits(hash, 32) || !fits(node, MAX_STRING) || !fits(ver, MAX_VER)) return undefined;
  // A Base64 digest; anything else cannot be a verification string.
  if (!/^[A-Za-z0-9+/]+={0,2}$/u.test(ver)) return undefined;
  return { hash, node, ver };
}

/** The `<c/>` to put in a presence. */
export function buildCaps(caps: Caps): Element {
  return xml('c', { xmlns: NS_CAPS, hash: caps.hash, node: caps.node, ver: caps.ver });
}

// --- Parley itself -----------------------------------------------------------------

export const NS_STYLING = 'urn:xmpp:styling:0';
export const NS_AVATAR_METADATA = 'urn:xmpp:avatar:metadata';
export const NS_VCARD_UPDATE = 'vcard-temp:x:update';

/**
 * What Parley implements as a client (the features of its disco#info and caps hash).
 * Server-side features (XEP-0313 archives) are not in it; of file transfer, XEP-0096 stream
 * initiation over SOCKS5 and IBB, and Jingle file transfer (XEP-0234) over the SOCKS5
 * (XEP-0260) and IBB (XEP-0261) transports are (HTTP upload is the server's).
 */
export const PARLEY_FEATURES: readonly string[] = Object.freeze([
  NS_DISCO_INFO,
  NS_CAPS,
  NS_PING,
  NS_VERSION,
  NS_TIME,
  NS_LAST,
  NS_IDLE,
  NS_RECEIPTS,
  NS_MARKERS,
  NS_CHATSTATES,
  NS_CORRECT,
  NS_RETRACT,
  NS_REACTIONS,
  NS_REPLY,
  NS_CARBONS,
  NS_SID,
  `${NS_NICK}+notify`,
  `${NS_AVATAR_METADATA}+notify`,
  NS_VCARD_UPDATE,
  NS_BLOCKING,
  NS_STYLING,
  NS_HINTS,
  NS_OOB,
  NS_SI,
  NS_SI_FT,
  NS_BYTESTREAMS,
  NS_IBB,
  NS_JINGLE,
  NS_JINGLE_FT,
  NS_JINGLE_S5B,
  NS_JINGLE_IBB,
  // XEP-0300 §4: the hash functions we check a file with (Gajim hashes only with one its peer
  // announces; others send sha-256 anyway).
  'urn:xmpp:hashes:2',
  'urn:xmpp:hash-function-text-names:sha-256',
]);

export const parleyIdentity: Readonly<DiscoIdentity> = Object.freeze({
  category: 'client',
  type: 'pc',
  name: 'Parley',
});

/** Parley's own disco#info (without a node). */
export function parleyInfo(): DiscoInfo {
  return { identities: [{ ...parleyIdentity }], features: [...PARLEY_FEATURES], forms: [] };
}

/** Parley's caps (computed once: the features are fixed for a build). */
let ownCaps: Caps | undefined;
export function parleyCaps(): Caps {
  ownCaps ??= { hash: 'sha-1', node: PARLEY_CAPS_NODE, ver: capsVerification(parleyInfo()) };
  return { ...ownCaps };
}

/** The `<c/>` for every presence Parley sends. */
export function buildOwnCaps(): Element {
  return buildCaps(parleyCaps());
}

/** Any disco#info answer as a `<query/>` (node, identities, features, forms). */
export function buildDiscoInfo(info: DiscoInfo): Element {
  const query = xml('query', { xmlns: NS_DISCO_INFO, ...(info.node !== undefined ? { node: info.node } : {}) });
  for (const i of info.identities)
    query.append(
      xml('identity', {
        category: i.category,
        type: i.type,
        ...(i.name !== undefined ? { name: i.name } : {}),
        ...(i.lang !== undefined ? { 'xml:lang': i.lang } : {}),
      }),
    );
  for (const feature of info.features) query.append(xml('feature', { var: feature }));
  for (const form of info.forms) {
    const x = xml(
      'x',
      { xmlns: NS_DATA, type: 'result' },
      xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, form.formType)),
    );
    for (const field of form.fields)
      x.append(xml('field', { var: field.var }, ...field.values.map((v) => xml('value', {}, v))));
    query.append(x);
  }
  return query;
}

/**
 * Parley's answer to a disco#info query for `node`: no node, or our caps node
 * (`${PARLEY_CAPS_NODE}#${ver}`, echoed). Undefined for any other node: answer
 * `<item-not-found/>` then.
 */
export function buildOwnInfo(node?: string): Element | undefined {
  if (node !== undefined && node !== '' && node !== capsNode(parleyCaps())) return undefined;
  return buildDiscoInfo({ ...parleyInfo(), ...(node !== undefined && node !== '' ? { node } : {}) });
}
