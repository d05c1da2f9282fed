/**
 * Avatars: XEP-0084 User Avatar (PEP: urn:xmpp:avatar:metadata and urn:xmpp:avatar:data) and
 * XEP-0153 vCard-Based Avatars (the photo hash in presence), and the checks every avatar
 * passes before anything keeps or shows it.
 *
 * Nothing trusts what the network says about an image: the type comes from the bytes' magic
 * numbers (PNG, JPEG, GIF, WebP; never SVG, which is a document with scripts), the size is
 * judged before decoding, the dimensions are read from the header (no decompression bombs),
 * and the data must hash (SHA-1) to the id it was advertised under. Ids are lowercase SHA-1
 * hex only, so they are safe as file names (avatars/avatar-cache.ts).
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { createHash } from 'node:crypto';
import { bareOf } from './jid.ts';

export const NS_AVATAR_DATA = 'urn:xmpp:avatar:data';
export const NS_AVATAR_METADATA = 'urn:xmpp:avatar:metadata';
/** The entity-capabilities feature that subscribes us to contacts' avatar metadata (XEP-0163 +notify). */
export const NS_AVATAR_METADATA_NOTIFY = `${NS_AVATAR_METADATA}+notify`;
export const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';
export const NS_PUBSUB_EVENT = 'http://jabber.org/protocol/pubsub#event';
export const NS_VCARD_UPDATE = 'vcard-temp:x:update';
const NS_DATA_FORMS = 'jabber:x:data';
const PUBLISH_OPTIONS = 'http://jabber.org/protocol/pubsub#publish-options';

/** The largest avatar we accept, decoded (XEP-0084 suggests far less; some clients send big photos). */
export const MAX_AVATAR_BYTES = 512 * 1024;
/** The largest width or height we accept: a small file can still decode to a huge bitmap. */
export const MAX_AVATAR_DIMENSION = 4096;
/** At most this many <info/> elements are looked at in one metadata item. */
const MAX_INFOS = 16;

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The file extension for each image type we keep. */
export const IMAGE_EXTENSIONS: Readonly<Record<ImageType, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

// --- hashes ---------------------------------------------------------------

const SHA1_HEX = /^[0-9a-f]{40}$/u;

/** SHA-1 of the bytes as lowercase hex (XEP-0084 ids and XEP-0153 photo hashes). */
export function sha1Hex(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

/** A SHA-1 hex id (any case) as lowercase, or undefined for anything else (`../x`, empty, too long…). */
export function normalizeSha1(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length !== 40) return undefined;
  const lower = value.toLowerCase();
  return SHA1_HEX.test(lower) ? lower : undefined;
}

export function isSha1Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA1_HEX.test(value);
}

// --- image checks -----------------------------------------------------------

/** The image type the bytes are, by their magic numbers; undefined for anything else (SVG, HTML, …). */
export function sniffImage(data: Uint8Array): ImageType | undefined {
  const starts = (offset: number, ...sig: number[]) => sig.every((b, i) => data[offset + i] === b);
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0, 0x47, 0x49, 0x46, 0x38) && (data[4] === 0x37 || data[4] === 0x39) && data[5] === 0x61)
    return 'image/gif';
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

export interface ImageSize {
  width: number;
  height: number;
}

/** Width and height from the image's header; undefined when the header is truncated or malformed. */
export function imageSize(data: Uint8Array, type: ImageType): ImageSize | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16be = (at: number) => (at + 2 <= data.length ? view.getUint16(at, false) : undefined);
  const u16le = (at: number) => (at + 2 <= data.length ? view.getUint16(at, true) : undefined);
  const u32be = (at: number) => (at + 4 <= data.length ? view.getUint32(at, false) : undefined);
  const u24le = (at: number) =>
    at + 3 <= data.length ? (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16) : undefined;
  const size = (width: number | undefined, height: number | undefined) =>
    width !== undefined && height !== undefined && width > 0 && height > 0 ? { width, height } : undefined;
  const ascii = (at: number, length: number) =>
    at + length <= data.length ? String.fromCharCode(...data.subarray(at, at + length)) : '';

  switch (type) {
    case 'image/png':
      // The first chunk must be IHDR: width and height as 32-bit big-endian.
      return ascii(12, 4) === 'IHDR' ? size(u32be(16), u32be(20)) : undefined;
    case 'image/gif':
      return size(u16le(6), u16le(8));
    case 'image/webp': {
      const chunk = ascii(12, 4);
      if (chunk === 'VP8 ') {
        // Key frame: 3-byte tag, start code 9d 01 2a, then 14-bit width and height.
        if (data[23] !== 0x9d || data[24] !== 0x01 || data[25] !== 0x2a) return undefined;
        const w = u16le(26);
        const h = u16le(28);
        return w === undefined || h === undefined ? undefined : size(w & 0x3fff, h & 0x3fff);
      }
      if (chunk === 'VP8L') {
        if (data[20] !== 0x2f || data.length < 25) return undefined;
        const bits = view.getUint32(21, true);
        return size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
      }
      if (chunk === 'VP8X') {
        const w = u24le(24);
        const h = u24le(27);
        return w === undefined || h === undefined ? undefined : size(w + 1, h + 1);
      }
      return undefined;
    }
    case 'image/jpeg':
      return jpegSize(data, u16be);
  }
}

/** Walks the JPEG markers up to the first start-of-frame (bounded: every step moves forward). */
function jpegSize(data: Uint8Array, u16be: (at: number) => number | undefined): ImageSize | undefined {
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image, or scan data before any frame
    const length = u16be(at + 2);
    if (length === undefined || length < 2) return undefined;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      const height = u16be(at + 5);
      const width = u16be(at + 7);
      return width !== undefined && height !== undefined && width > 0 && height > 0 ? { width, height } : undefined;
    }
    at += 2 + length;
  }
  return undefined;
}

export type AvatarRejection = 'size' | 'encoding' | 'type' | 'dimensions' | 'hash';

export interface CheckedImage {
  ok: true;
  type: ImageType;
  width: number;
  height: number;
}
export type AvatarCheck = CheckedImage | { ok: false; reason: AvatarRejection };

/**
 * Whether the bytes are an avatar we keep: at most MAX_AVATAR_BYTES, a PNG, JPEG, GIF or WebP
 * by its magic numbers, with a readable header of at most MAX_AVATAR_DIMENSION each way, and,
 * when `expectedId` is given, hashing (SHA-1) to it.
 */
export function checkAvatarData(data: Uint8Array, expectedId?: string): AvatarCheck {
  if (data.length === 0 || data.length > MAX_AVATAR_BYTES) return { ok: false, reason: 'size' };
  const type = sniffImage(data);
  if (!type) return { ok: false, reason: 'type' };
  const dims = imageSize(data, type);
  if (!dims || dims.width > MAX_AVATAR_DIMENSION || dims.height > MAX_AVATAR_DIMENSION)
    return { ok: false, reason: 'dimensions' };
  if (expectedId !== undefined && normalizeSha1(expectedId) !== sha1Hex(data)) return { ok: false, reason: 'hash' };
  return { ok: true, type, ...dims };
}

export type Base64Result = { ok: true; data: Buffer } | { ok: false; reason: 'size' | 'encoding' };

/**
 * Strict base64 (whitespace and line breaks allowed, missing padding tolerated), judged by
 * length before anything is decoded: 4 characters carry 3 bytes.
 */
export function decodeBase64(text: string, maxBytes: number): Base64Result {
  const maxChars = Math.ceil(maxBytes / 3) * 4;
  // Generous room for line breaks, but a bound before the whitespace is even stripped.
  if (text.length > maxChars * 2 + 1024) return { ok: false, reason: 'size' };
  let encoded = text.replace(/[\t\n\r ]+/gu, '');
  if (encoded.length > maxChars) return { ok: false, reason: 'size' };
  if (encoded.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/u.test(encoded)) return { ok: false, reason: 'encoding' };
  if (encoded.includes('=') && encoded.length % 4 !== 0) return { ok: false, reason: 'encoding' };
  encoded = encoded.padEnd(Math.ceil(encoded.length / 4) * 4, '=');
  const data = Buffer.from(encoded, 'base64');
  if (data.length === 0) return { ok: false, reason: 'encoding' };
  if (data.length > maxBytes) return { ok: false, reason: 'size' };
  return { ok: true, data };
}

// --- XEP-0084: metadata -------------------------------------------------------

/** One <info/>: what the publisher says about one version of its avatar (untrusted, a hint only). */
export interface AvatarInfo {
  /** SHA-1 of the image data, lowercase hex. */
  id: string;
  bytes: number;
  /** The advertised type: never trusted, the bytes decide. */
  type: string;
  width?: number;
  height?: number;
}

export type AvatarMetadata =
  /** A new avatar: fetch `info.id` from the data node (unless cached). */
  | { kind: 'avatar'; info: AvatarInfo }
  /** The empty metadata element: the contact has no avatar (any more). */
  | { kind: 'removed' }
  | { kind: 'invalid'; reason: string };

const positiveInt = (value: unknown, max: number): number | undefined => {
  if (typeof value !== 'string' || !/^\d{1,9}$/u.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n <= max ? n : undefined;
};

/**
 * A `<metadata xmlns='urn:xmpp:avatar:metadata'/>` element (from an event or an items result).
 * `itemId` is the item's id: the info it names (the PNG, by XEP-0084) is preferred. Infos with
 * a `url` are hosted elsewhere: we never fetch an address a contact gives us, so they are skipped.
 */
export function parseAvatarMetadata(metadata: Element, itemId?: unknown): AvatarMetadata {
  if (!metadata.is('metadata', NS_AVATAR_METADATA)) return { kind: 'invalid', reason: 'not avatar metadata' };
  const infos = metadata.getChildren('info').slice(0, MAX_INFOS);
  if (infos.length === 0) return { kind: 'removed' };
  const preferred = normalizeSha1(itemId);
  const usable: AvatarInfo[] = [];
  let tooLarge = false;
  for (const info of infos) {
    const id = normalizeSha1(info.attrs['id']);
    if (!id || info.attrs['url'] !== undefined) continue;
    const rawBytes: unknown = info.attrs['bytes'];
    const bytes = positiveInt(rawBytes, Number.MAX_SAFE_INTEGER);
    if (bytes === undefined) continue;
    if (bytes > MAX_AVATAR_BYTES) {
      tooLarge = true;
      continue;
    }
    const type: unknown = info.attrs['type'];
    const width = positiveInt(info.attrs['width'], 65535);
    const height = positiveInt(info.attrs['height'], 65535);
    usable.push({
      id,
      bytes,
      type: typeof type === 'string' ? type.slice(0, 100) : '',
      ...(width !== undefined ? { width } : {}),
      ...(height !== undefined ? { height } : {}),
    });
  }
  const chosen = usable.find((i) => i.id === preferred) ?? usable[0];
  if (chosen) return { kind: 'avatar', info: chosen };
  return { kind: 'invalid', reason: tooLarge ? 'avatar too large' : 'no usable avatar info' };
}

export interface AvatarMetadataEvent {
  /** The publisher's bare JID. */
  jid: string;
  metadata: AvatarMetadata;
}

/** The last <item/> of a node in a PEP event (or an items result) that carries the payload, if any. */
function lastItem(items: Element | undefined, payload: string, ns: string): { item: Element; el: Element } | undefined {
  if (!items) return undefined;
  const all = items.getChildren('item');
  for (let i = all.length - 1; i >= 0; i--) {
    const item = all[i];
    const el = item?.getChild(payload, ns);
    if (item && el) return { item, el };
  }
  return undefined;
}

/** The <items node=…/> of a PEP event notification, with the publisher's bare JID. */
export function pepItems(stanza: Element, node: string): { jid: string; items: Element } | undefined {
  if (!stanza.is('message')) return undefined;
  const jid = bareOf(stanza.attrs['from']);
  if (!jid) return undefined;
  const items = stanza
    .getChild('event', NS_PUBSUB_EVENT)
    ?.getChildren('items')
    .find((i) => i.attrs['node'] === node);
  return items ? { jid, items } : undefined;
}

/** A PEP notification of a contact's (or our own) avatar metadata; undefined for any other stanza. */
export function parseAvatarMetadataEvent(stanza: Element): AvatarMetadataEvent | undefined {
  const pep = pepItems(stanza, NS_AVATAR_METADATA);
  if (!pep) return undefined;
  const found = lastItem(pep.items, 'metadata', NS_AVATAR_METADATA);
  if (!found) return undefined; // a retraction or an item without payload: nothing to act on
  return { jid: pep.jid, metadata: parseAvatarMetadata(found.el, found.item.attrs['id']) };
}

/** XEP-0084 §4.2 by query: ask a contact's metadata node for its current item (payload for an IQ get). */
export function buildAvatarMetadataRequest(): Element {
  return xml('pubsub', { xmlns: NS_PUBSUB }, xml('items', { node: NS_AVATAR_METADATA, max_items: '1' }));
}

/** The result of buildAvatarMetadataRequest (the <pubsub/> payload); an empty node means no avatar. */
export function parseAvatarMetadataResult(pubsub: Element | undefined): AvatarMetadata {
  const items = pubsub?.is('pubsub', NS_PUBSUB)
    ? pubsub.getChildren('items').find((i) => i.attrs['node'] === NS_AVATAR_METADATA)
    : undefined;
  if (!items) return { kind: 'invalid', reason: 'no metadata items' };
  const found = lastItem(items, 'metadata', NS_AVATAR_METADATA);
  return found ? parseAvatarMetadata(found.el, found.item.attrs['id']) : { kind: 'removed' };
}

// --- XEP-0084: data -------------------------------------------------------------

function requireSha1(id: string): string {
  const normalized = normalizeSha1(id);
  if (!normalized) throw new TypeError('avatar id must be a SHA-1 hex string');
  return normalized;
}

/** XEP-0084 §4.3: ask a contact's data node for one avatar (payload for an IQ get to their bare JID). */
export function buildAvatarDataRequest(id: string): Element {
  return xml(
    'pubsub',
    { xmlns: NS_PUBSUB },
    xml('items', { node: NS_AVATAR_DATA }, xml('item', { id: requireSha1(id) })),
  );
}

export interface AvatarData {
  ok: true;
  id: string;
  data: Buffer;
  type: ImageType;
  width: number;
  height: number;
}
export type AvatarDataResult = AvatarData | { ok: false; reason: AvatarRejection | 'missing' };

/**
 * The answer to buildAvatarDataRequest (the <pubsub/> payload): the image, checked against
 * `expectedId` (the id from the metadata). A mismatching hash, an oversized or non-image
 * payload is rejected.
 */
export function parseAvatarData(pubsub: Element | undefined, expectedId: string): AvatarDataResult {
  const id = normalizeSha1(expectedId);
  if (!id || !pubsub?.is('pubsub', NS_PUBSUB)) return { ok: false, reason: 'missing' };
  const items = pubsub.getChildren('items').find((i) => i.attrs['node'] === NS_AVATAR_DATA);
  const candidates = items?.getChildren('item') ?? [];
  const item = candidates.find((i) => normalizeSha1(i.attrs['id']) === id) ?? candidates[0];
  const data = item?.getChild('data', NS_AVATAR_DATA);
  if (!data) return { ok: false, reason: 'missing' };
  const decoded = decodeBase64(data.getText(), MAX_AVATAR_BYTES);
  if (!decoded.ok) return decoded;
  const checked = checkAvatarData(decoded.data, id);
  if (!checked.ok) return checked;
  return { ok: true, id, data: decoded.data, type: checked.type, width: checked.width, height: checked.height };
}

// --- XEP-0084: publishing our own -------------------------------------------------

/** An image of ours, checked and ready to publish. */
export interface PreparedAvatar {
  id: string;
  data: Buffer;
  type: ImageType;
  width: number;
  height: number;
}

/** Checks an image the user picked (same rules as for contacts' avatars) and computes its id. */
export function prepareAvatar(
  data: Uint8Array,
): { ok: true; avatar: PreparedAvatar } | { ok: false; reason: AvatarRejection } {
  const checked = checkAvatarData(data);
  if (!checked.ok) return checked;
  const bytes = Buffer.from(data);
  return {
    ok: true,
    avatar: { id: sha1Hex(bytes), data: bytes, type: checked.type, width: checked.width, height: checked.height },
  };
}

/** XEP-0060 publish-options: who may read the node (XEP-0084 suggests open, or presence-subscribed contacts). */
export type AccessModel = 'open' | 'presence';

function publishOptions(access: AccessModel | undefined): Element[] {
  if (!access) return [];
  return [
    xml(
      'publish-options',
      {},
      xml(
        'x',
        { xmlns: NS_DATA_FORMS, type: 'submit' },
        xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, PUBLISH_OPTIONS)),
        xml('field', { var: 'pubsub#access_model' }, xml('value', {}, access)),
      ),
    ),
  ];
}

/** XEP-0084 §4.1 step 1: publish the image to the data node (payload for an IQ set to our bare JID). */
export function buildAvatarDataPublish(avatar: PreparedAvatar, access?: AccessModel): Element {
  return xml(
    'pubsub',
    { xmlns: NS_PUBSUB },
    xml(
      'publish',
      { node: NS_AVATAR_DATA },
      xml(
        'item',
        { id: requireSha1(avatar.id) },
        xml('data', { xmlns: NS_AVATAR_DATA }, avatar.data.toString('base64')),
      ),
    ),
    ...publishOptions(access),
  );
}

/** XEP-0084 §4.1 step 2, once the data is published: announce it on the metadata node. */
export function buildAvatarMetadataPublish(avatar: PreparedAvatar, access?: AccessModel): Element {
  const id = requireSha1(avatar.id);
  return xml(
    'pubsub',
    { xmlns: NS_PUBSUB },
    xml(
      'publish',
      { node: NS_AVATAR_METADATA },
      xml(
        'item',
        { id },
        xml(
          'metadata',
          { xmlns: NS_AVATAR_METADATA },
          xml('info', {
            id,
            bytes: String(avatar.data.length),
            type: avatar.type,
            width: String(avatar.width),
            height: String(avatar.height),
          }),
        ),
      ),
    ),
    ...publishOptions(access),
  );
}

/** XEP-0084 §4.4: remove our avatar by publishing empty metadata. */
export function buildAvatarMetadataDisable(access?: AccessModel): Element {
  return xml(
    'pubsub',
    { xmlns: NS_PUBSUB },
    xml(
      'publish',
      { node: NS_AVATAR_METADATA },
      xml('item', { id: 'current' }, xml('metadata', { xmlns: NS_AVATAR_METADATA })),
    ),
    ...publishOptions(access),
  );
}

// --- XEP-0153: vCard-based avatars ---------------------------------------------------

export type VcardUpdate =
  /** The sender has not fetched its own vCard yet: keep what we know. */
  | { kind: 'not-ready' }
  /** An empty <photo/>: no avatar. */
  | { kind: 'none' }
  /** The SHA-1 of the vCard's photo: fetch the vCard if we do not have it. */
  | { kind: 'hash'; hash: string };

/**
 * The `<x xmlns='vcard-temp:x:update'/>` of a presence: undefined when there is none (the
 * sender does not do XEP-0153) or when its hash is malformed.
 */
export function parseVcardUpdate(presence: Element): VcardUpdate | undefined {
  if (!presence.is('presence')) return undefined;
  const x = presence.getChild('x', NS_VCARD_UPDATE);
  if (!x) return undefined;
  const photo = x.getChild('photo');
  if (!photo) return { kind: 'not-ready' };
  const text = photo.getText().trim();
  if (text === '') return { kind: 'none' };
  const hash = normalizeSha1(text);
  return hash ? { kind: 'hash', hash } : undefined;
}

/**
 * Our XEP-0153 element for every presence: `undefined` = not ready (we have not read our
 * vCard yet), `null` = no avatar, else the SHA-1 of our vCard photo.
 */
export function buildVcardUpdate(hash: string | null | undefined): Element {
  if (hash === undefined) return xml('x', { xmlns: NS_VCARD_UPDATE });
  if (hash === null) return xml('x', { xmlns: NS_VCARD_UPDATE }, xml('photo'));
  return xml('x', { xmlns: NS_VCARD_UPDATE }, xml('photo', {}, requireSha1(hash)));
}
