/**
 * XEP-0054 vcard-temp: our own profile (read and edit) and contacts' profiles, including the
 * photo XEP-0153 avatars come from.
 *
 * The parser is tolerant of what real clients write (Spark/Openfire, Psi, Gajim, …): element
 * names in any case, `<EMAIL>` with `<USERID>` or as bare text, `<TEL>` with or without
 * `<NUMBER>`, empty placeholder entries (Spark sends every TEL slot, empty), `CTRY` or
 * `COUNTRY`, birthdays with a time or without dashes, base64 photos with line breaks. It is
 * strict about sizes: every text field is bounded, at most MAX_ENTRIES emails, phones and
 * addresses, and a photo must be a real PNG/JPEG/GIF/WebP of at most MAX_AVATAR_BYTES (by its
 * bytes, not its TYPE), or it is dropped without harming the rest of the card.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { checkAvatarData, decodeBase64, MAX_AVATAR_BYTES, type AvatarRejection, type ImageType } from './avatar.ts';
import { cleanDisplayText } from './nick.ts';

export const NS_VCARD = 'vcard-temp';

/** The longest single-line field we keep (code points). */
export const MAX_FIELD = 1000;
/** The longest description (DESC) we keep. */
export const MAX_DESCRIPTION = 8000;
/** At most this many emails, phones, and addresses each. */
export const MAX_ENTRIES = 20;
/** Children of a vCard we look at; a card with more is cut there (hostile or broken). */
const MAX_CHILDREN = 500;
/** Unknown elements kept when our own card is edited, and how deep they may nest. */
const MAX_KEPT = 100;
const MAX_KEPT_DEPTH = 8;

export type Place = 'home' | 'work';
/** A phone's label: where (home, work), or what it is (cell, fax, …); plain `voice` when neither. */
export type PhoneKind = 'home' | 'work' | 'cell' | 'voice' | 'fax' | 'pager' | 'video' | 'msg';

export interface VcardEmail {
  address: string;
  kind?: Place;
}

export interface VcardPhone {
  number: string;
  kind?: PhoneKind;
}

export interface VcardAddress {
  street?: string;
  locality?: string;
  region?: string;
  postcode?: string;
  country?: string;
  kind?: Place;
}

export interface VcardPhoto {
  /** From the bytes' magic numbers, never from the card's TYPE. */
  type: ImageType;
  data: Buffer;
}

export interface Vcard {
  fullName?: string;
  nickname?: string;
  givenName?: string;
  familyName?: string;
  organisation?: { name?: string; unit?: string };
  title?: string;
  role?: string;
  emails: VcardEmail[];
  phones: VcardPhone[];
  addresses: VcardAddress[];
  /** YYYY-MM-DD. */
  birthday?: string;
  url?: string;
  description?: string;
  photo?: VcardPhoto;
}

export function emptyVcard(): Vcard {
  return { emails: [], phones: [], addresses: [] };
}

// --- reading ----------------------------------------------------------------------

/** Children of a vCard element by name, in any case, skipping elements of another namespace. */
function children(el: Element, name: string): Element[] {
  const upper = name.toUpperCase();
  const out: Element[] = [];
  let seen = 0;
  for (const child of el.children) {
    if (typeof child === 'string') continue;
    if (++seen > MAX_CHILDREN) break;
    const xmlns: unknown = child.attrs['xmlns'];
    if (xmlns !== undefined && xmlns !== NS_VCARD) continue;
    if (child.getName().toUpperCase() === upper) out.push(child);
  }
  return out;
}

const child = (el: Element, name: string): Element | undefined => children(el, name)[0];
const has = (el: Element, name: string): boolean => child(el, name) !== undefined;

/** The direct text of an element, cleaned and bounded. */
function text(el: Element | undefined, max = MAX_FIELD, multiline = false): string | undefined {
  return el ? cleanDisplayText(el.getText(), max, multiline) : undefined;
}
const childText = (el: Element, name: string, max = MAX_FIELD) => text(child(el, name), max);

const place = (el: Element): Place | undefined => (has(el, 'HOME') ? 'home' : has(el, 'WORK') ? 'work' : undefined);

/** Drops undefined values, so optional properties stay absent (exactOptionalPropertyTypes). */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

function parseEmail(el: Element): VcardEmail | undefined {
  // <EMAIL><INTERNET/><USERID>a@b</USERID></EMAIL>, or the legacy <EMAIL>a@b</EMAIL>.
  const address = childText(el, 'USERID') ?? text(el);
  if (!address || /\s/u.test(address)) return undefined;
  return defined({ address, kind: place(el) });
}

const PHONE_TYPES = ['CELL', 'FAX', 'PAGER', 'VIDEO', 'MSG'] as const;

function parsePhone(el: Element): VcardPhone | undefined {
  const number = childText(el, 'NUMBER') ?? text(el);
  if (!number) return undefined;
  const type = PHONE_TYPES.find((t) => has(el, t));
  const kind: PhoneKind | undefined = type
    ? (type.toLowerCase() as PhoneKind)
    : (place(el) ?? (has(el, 'VOICE') ? 'voice' : undefined));
  return defined({ number, kind });
}

function parseAddress(el: Element): VcardAddress | undefined {
  const street = [childText(el, 'STREET'), childText(el, 'EXTADD')].filter(Boolean).join(', ') || undefined;
  const address = defined({
    street: street && cleanDisplayText(street, MAX_FIELD),
    locality: childText(el, 'LOCALITY'),
    region: childText(el, 'REGION'),
    postcode: childText(el, 'PCODE') ?? childText(el, 'POSTCODE'),
    country: childText(el, 'CTRY') ?? childText(el, 'COUNTRY'),
  });
  if (Object.keys(address).length === 0) return undefined; // Spark's empty placeholders
  const kind = place(el);
  return kind ? { ...address, kind } : address;
}

/** YYYY-MM-DD from the ISO 8601 forms clients write (1990-05-17, 19900517, 1990-05-17T00:00:00Z). */
export function parseBirthday(value: string | undefined): string | undefined {
  const m = /^\s*(\d{4})-?(\d{2})-?(\d{2})(?:[T\s].*)?$/su.exec((value ?? '').slice(0, 64));
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined; // 31 February
  return `${y ?? ''}-${mo ?? ''}-${d ?? ''}`;
}

export type PhotoResult = { ok: true; photo: VcardPhoto } | { ok: false; reason: AvatarRejection | 'missing' };

/**
 * A `<PHOTO>` element: the BINVAL, decoded and checked (size, magic numbers, dimensions).
 * EXTVAL (a URL) is not followed: we never fetch an address a contact gives us.
 */
export function parseVcardPhoto(photo: Element | undefined): PhotoResult {
  const binval = photo ? child(photo, 'BINVAL') : undefined;
  if (!binval) return { ok: false, reason: 'missing' };
  const decoded = decodeBase64(binval.getText(), MAX_AVATAR_BYTES);
  if (!decoded.ok) return decoded;
  const checked = checkAvatarData(decoded.data);
  if (!checked.ok) return checked;
  return { ok: true, photo: { type: checked.type, data: decoded.data } };
}

function isVcard(el: Element | undefined): el is Element {
  return el?.getName().toUpperCase() === 'VCARD' && el.getNS() === NS_VCARD;
}

/**
 * A `<vCard xmlns='vcard-temp'/>` element (the payload of a vCard IQ result); undefined when
 * the element is not one. An empty result (no element at all) is an empty card: emptyVcard().
 */
export function parseVcard(el: Element | undefined): Vcard | undefined {
  if (!isVcard(el)) return undefined;
  const n = child(el, 'N');
  const org = child(el, 'ORG');
  const organisation = org
    ? defined({
        name: childText(org, 'ORGNAME') ?? (org.getChildElements().length === 0 ? text(org) : undefined),
        unit: children(org, 'ORGUNIT')
          .map((u) => text(u))
          .find(Boolean),
      })
    : undefined;
  const photo = parseVcardPhoto(child(el, 'PHOTO'));
  const list = <T>(name: string, parse: (e: Element) => T | undefined): T[] =>
    children(el, name)
      .flatMap((e) => parse(e) ?? [])
      .slice(0, MAX_ENTRIES);
  return {
    ...defined({
      fullName: childText(el, 'FN'),
      nickname: childText(el, 'NICKNAME'),
      givenName: n && childText(n, 'GIVEN'),
      familyName: n && childText(n, 'FAMILY'),
      organisation: organisation && Object.keys(organisation).length > 0 ? organisation : undefined,
      title: childText(el, 'TITLE'),
      role: childText(el, 'ROLE'),
      birthday: parseBirthday(child(el, 'BDAY')?.getText()),
      url: childText(el, 'URL'),
      description: text(child(el, 'DESC'), MAX_DESCRIPTION, true),
      photo: photo.ok ? photo.photo : undefined,
    }),
    emails: list('EMAIL', parseEmail),
    phones: list('TEL', parsePhone),
    addresses: list('ADR', parseAddress),
  };
}

// --- writing ------------------------------------------------------------------------

/** The elements this module reads and writes; anything else in our own card is kept on edit. */
const MANAGED = new Set([
  'FN',
  'N',
  'NICKNAME',
  'PHOTO',
  'BDAY',
  'ADR',
  'TEL',
  'EMAIL',
  'TITLE',
  'ROLE',
  'ORG',
  'URL',
  'DESC',
]);

const field = (name: string, value: string | undefined): Element[] =>
  value === undefined || value === '' ? [] : [xml(name, {}, value)];

const PHONE_FLAGS: Readonly<Record<PhoneKind, string[]>> = {
  home: ['HOME', 'VOICE'],
  work: ['WORK', 'VOICE'],
  voice: ['VOICE'],
  cell: ['CELL'],
  fax: ['FAX'],
  pager: ['PAGER'],
  video: ['VIDEO'],
  msg: ['MSG'],
};

/** A copy of an element (our own card's unknown fields), bounded in depth. */
function copy(el: Element, depth = 0): Element {
  const kids = depth >= MAX_KEPT_DEPTH ? [] : el.children.map((c) => (typeof c === 'string' ? c : copy(c, depth + 1)));
  return xml(el.name, { ...(el.attrs as Record<string, string>) }, ...kids);
}

/**
 * The `<vCard xmlns='vcard-temp'/>` for a card, with the element names of XEP-0054's DTD.
 * `previous` is the card as the server had it: its elements this module does not manage
 * (JABBERID, NOTE, GEO, X-… extensions) are kept, so editing here loses nothing another
 * client wrote.
 */
export function buildVcard(v: Vcard, previous?: Element): Element {
  const kept =
    previous && isVcard(previous)
      ? previous
          .getChildElements()
          .filter((c) => !MANAGED.has(c.getName().toUpperCase()))
          .slice(0, MAX_KEPT)
          .map((c) => copy(c))
      : [];
  const org = v.organisation;
  return xml(
    'vCard',
    { xmlns: NS_VCARD },
    ...field('FN', v.fullName),
    ...(v.givenName || v.familyName
      ? [xml('N', {}, ...field('FAMILY', v.familyName), ...field('GIVEN', v.givenName))]
      : []),
    ...field('NICKNAME', v.nickname),
    ...(v.photo
      ? [xml('PHOTO', {}, xml('TYPE', {}, v.photo.type), xml('BINVAL', {}, v.photo.data.toString('base64')))]
      : []),
    ...field('BDAY', v.birthday),
    ...v.addresses
      .slice(0, MAX_ENTRIES)
      .map((a) =>
        xml(
          'ADR',
          {},
          ...(a.kind ? [xml(a.kind.toUpperCase())] : []),
          ...field('STREET', a.street),
          ...field('LOCALITY', a.locality),
          ...field('REGION', a.region),
          ...field('PCODE', a.postcode),
          ...field('CTRY', a.country),
        ),
      ),
    ...v.phones
      .slice(0, MAX_ENTRIES)
      .filter((p) => p.number !== '')
      .map((p) =>
        xml('TEL', {}, ...(p.kind ? PHONE_FLAGS[p.kind] : ['VOICE']).map((f) => xml(f)), xml('NUMBER', {}, p.number)),
      ),
    ...v.emails
      .slice(0, MAX_ENTRIES)
      .filter((e) => e.address !== '')
      .map((e) =>
        xml('EMAIL', {}, ...(e.kind ? [xml(e.kind.toUpperCase())] : []), xml('INTERNET'), xml('USERID', {}, e.address)),
      ),
    ...field('TITLE', v.title),
    ...field('ROLE', v.role),
    ...(org && (org.name || org.unit)
      ? [xml('ORG', {}, ...field('ORGNAME', org.name), ...field('ORGUNIT', org.unit))]
      : []),
    ...field('URL', v.url),
    ...field('DESC', v.description),
    ...kept,
  );
}

/** Payload for an IQ get: our own card (no `to`) or a contact's (`to` = their bare JID, in `iq.get`). */
export function buildVcardGet(): Element {
  return xml('vCard', { xmlns: NS_VCARD });
}

/** Payload for the IQ set (no `to`: to our own account) that replaces our card. */
export function buildVcardSet(v: Vcard, previous?: Element): Element {
  return buildVcard(v, previous);
}
