/**
 * XEP-0095 stream initiation with the XEP-0096 file-transfer profile: the offer (file name,
 * size, date, description, XEP-0300 hashes) with its stream-method negotiation (XEP-0020 over
 * an XEP-0004 form), and the answer choosing one method. Pure: parse functions never throw
 * on hostile input; they return an `invalid` result naming the error to answer with.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { buildHash, parseHashes, type FileHash } from './hash.ts';

export const NS_SI = 'http://jabber.org/protocol/si';
export const NS_SI_FT = 'http://jabber.org/protocol/si/profile/file-transfer';
export const NS_FEATURE_NEG = 'http://jabber.org/protocol/feature-neg';
export const NS_DATA = 'jabber:x:data';
export const NS_BYTESTREAMS = 'http://jabber.org/protocol/bytestreams';
export const NS_IBB = 'http://jabber.org/protocol/ibb';

export type StreamMethod = typeof NS_BYTESTREAMS | typeof NS_IBB;
export const STREAM_METHODS: readonly StreamMethod[] = [NS_BYTESTREAMS, NS_IBB];

/** Largest size we even consider (1 TiB): anything above is absurd for a direct transfer. */
export const MAX_OFFER_SIZE = 2 ** 40;
const MAX_SID = 128;
const MAX_NAME = 1024;
const MAX_DESC = 2000;
const MAX_MIME = 255;
const MAX_OPTIONS = 20;

export interface FileOffer {
  sid: string;
  name: string;
  size: number;
  mimeType?: string | undefined;
  date?: string | undefined;
  desc?: string | undefined;
  hashes: FileHash[];
  /** Stream methods the sender offers, in its order. */
  methods: string[];
}

export type OfferParse =
  | { ok: true; offer: FileOffer }
  | {
      ok: false;
      /** bad-request: malformed; bad-profile: not a file transfer; no-valid-streams: no method; size: absurd size. */
      error: 'bad-request' | 'bad-profile' | 'no-valid-streams' | 'size';
      sid?: string;
    };

/** A stream id as we accept it: 1–128 printable ASCII characters without spaces. */
export function validSid(sid: unknown): sid is string {
  return typeof sid === 'string' && sid.length > 0 && sid.length <= MAX_SID && /^[\x21-\x7e]+$/u.test(sid);
}

/** Parses a file size attribute: a non-negative decimal integer (no sign, no exponent). */
export function parseSize(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,16}$/u.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function buildOffer(offer: FileOffer): Element {
  const file = xml(
    'file',
    {
      xmlns: NS_SI_FT,
      name: offer.name,
      size: String(offer.size),
      ...(offer.date ? { date: offer.date } : {}),
    },
    ...(offer.desc ? [xml('desc', {}, offer.desc)] : []),
    ...offer.hashes.map((h) => buildHash(h)),
  );
  return xml(
    'si',
    { xmlns: NS_SI, id: offer.sid, profile: NS_SI_FT, 'mime-type': offer.mimeType ?? 'application/octet-stream' },
    file,
    xml(
      'feature',
      { xmlns: NS_FEATURE_NEG },
      xml(
        'x',
        { xmlns: NS_DATA, type: 'form' },
        xml(
          'field',
          { var: 'stream-method', type: 'list-single' },
          ...offer.methods.map((m) => xml('option', {}, xml('value', {}, m))),
        ),
      ),
    ),
  );
}

/** The stream-method field of a feature-neg form (`<x/>` inside `<feature/>`). */
function streamMethodField(si: Element): Element | undefined {
  const x = si.getChild('feature', NS_FEATURE_NEG)?.getChild('x', NS_DATA);
  return x?.getChildren('field').find((f) => f.attrs['var'] === 'stream-method');
}

export function parseOffer(si: Element): OfferParse {
  if (!si.is('si', NS_SI)) return { ok: false, error: 'bad-request' };
  const sid: unknown = si.attrs['id'];
  if (!validSid(sid)) return { ok: false, error: 'bad-request' };
  if (si.attrs['profile'] !== NS_SI_FT) return { ok: false, error: 'bad-profile', sid };
  const file = si.getChild('file', NS_SI_FT);
  const name: unknown = file?.attrs['name'];
  if (!file || typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME)
    return { ok: false, error: 'bad-request', sid };
  const rawSize: unknown = file.attrs['size'];
  if (typeof rawSize === 'string' && /^\d{17,}$/u.test(rawSize)) return { ok: false, error: 'size', sid };
  const size = parseSize(rawSize);
  if (size === undefined) return { ok: false, error: 'bad-request', sid };
  if (size > MAX_OFFER_SIZE) return { ok: false, error: 'size', sid };
  const field = streamMethodField(si);
  const methods = (field?.getChildren('option') ?? [])
    .slice(0, MAX_OPTIONS)
    .map((o) => o.getChildText('value') ?? '')
    .filter((v) => v.length > 0);
  if (methods.length === 0) return { ok: false, error: 'no-valid-streams', sid };
  // XEP-0095 puts the media type on <si/>; some senders put it on <file/> instead.
  const mime: unknown = si.attrs['mime-type'] ?? file.attrs['mime-type'];
  const date: unknown = file.attrs['date'];
  const desc = file.getChildText('desc');
  return {
    ok: true,
    offer: {
      sid,
      name,
      size,
      mimeType:
        typeof mime === 'string' && mime.length <= MAX_MIME && /^[\w.+-]+\/[\w.+-]+$/u.test(mime) ? mime : undefined,
      date: typeof date === 'string' && date.length <= 64 ? date : undefined,
      desc: desc ? desc.slice(0, MAX_DESC) : undefined,
      hashes: parseHashes(file),
      methods,
    },
  };
}

/** The first of the offered methods that we support, in our preference order. */
export function chooseMethod(offered: readonly string[], ours: readonly string[]): string | undefined {
  return ours.find((m) => offered.includes(m));
}

/** Our answer to an offer: the chosen stream method. */
export function buildAccept(method: string): Element {
  return xml(
    'si',
    { xmlns: NS_SI },
    xml(
      'feature',
      { xmlns: NS_FEATURE_NEG },
      xml('x', { xmlns: NS_DATA, type: 'submit' }, xml('field', { var: 'stream-method' }, xml('value', {}, method))),
    ),
  );
}

/** The method the receiver chose, from its result's `<si/>`. */
export function parseAccept(si: Element | undefined): string | undefined {
  if (!si?.is('si', NS_SI)) return undefined;
  const value = streamMethodField(si)?.getChildText('value') ?? '';
  return value === '' ? undefined : value;
}

/** The error element for refusing an offer (XEP-0095 §3.2 / XEP-0096 §3.1). */
export function buildOfferError(
  kind: 'declined' | 'bad-profile' | 'no-valid-streams' | 'bad-request' | 'size',
): Element {
  const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
  if (kind === 'declined')
    return xml(
      'error',
      { type: 'cancel', code: '403' },
      xml('forbidden', { xmlns: NS_STANZAS }),
      xml('text', { xmlns: NS_STANZAS }, 'Offer Declined'),
    );
  if (kind === 'bad-profile' || kind === 'no-valid-streams')
    return xml(
      'error',
      { type: 'cancel', code: '400' },
      xml('bad-request', { xmlns: NS_STANZAS }),
      xml(kind, { xmlns: NS_SI }),
    );
  if (kind === 'size')
    return xml(
      'error',
      { type: 'modify', code: '406' },
      xml('not-acceptable', { xmlns: NS_STANZAS }),
      xml('text', { xmlns: NS_STANZAS }, 'File too large'),
    );
  return xml('error', { type: 'modify', code: '400' }, xml('bad-request', { xmlns: NS_STANZAS }));
}
