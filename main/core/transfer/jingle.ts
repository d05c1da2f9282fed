/**
 * Jingle (XEP-0166) file transfer (XEP-0234) with the SOCKS5 transport (XEP-0260) and the IBB
 * transport (XEP-0261), the stanzas: session-initiate / session-accept / session-terminate,
 * transport-info (candidate-used, candidate-error, activated, proxy-error), transport-replace /
 * transport-accept, and session-info checksums (XEP-0300 hashes). Pure: parsers never throw on
 * hostile input; they return undefined (or a reason) for what they cannot use.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { NS_HASHES, buildHash, buildHashUsed, parseHashes, parseHashesUsed, type FileHash } from './hash.ts';
import { MAX_OFFER_SIZE, parseSize, validSid } from './si.ts';

export const NS_JINGLE = 'urn:xmpp:jingle:1';
export const NS_JINGLE_FT = 'urn:xmpp:jingle:apps:file-transfer:5';
/**
 * Older XEP-0234 namespaces still sent by deployed clients (Conversations offers :4 or :3 to a
 * peer that does not announce :5): the same file description, under `<offer/>` in :3. Offers
 * in them are understood and answered in the same namespace.
 */
export const NS_JINGLE_FT_4 = 'urn:xmpp:jingle:apps:file-transfer:4';
export const NS_JINGLE_FT_3 = 'urn:xmpp:jingle:apps:file-transfer:3';
const FT_NAMESPACES: readonly string[] = [NS_JINGLE_FT, NS_JINGLE_FT_4, NS_JINGLE_FT_3];
/** Encryption we cannot undo (besides any `<security/>`, e.g. XEP-0391 JET): Conversations' legacy OMEMO key in `<file/>`. */
const NS_LEGACY_OMEMO = 'eu.siacs.conversations.axolotl';
export const NS_JINGLE_S5B = 'urn:xmpp:jingle:transports:s5b:1';
export const NS_JINGLE_IBB = 'urn:xmpp:jingle:transports:ibb:1';
export const NS_JINGLE_ERRORS = 'urn:xmpp:jingle:errors:1';

export type JingleAction =
  | 'session-initiate'
  | 'session-accept'
  | 'session-terminate'
  | 'session-info'
  | 'transport-info'
  | 'transport-replace'
  | 'transport-accept'
  | 'transport-reject';
const ACTIONS: readonly string[] = [
  'session-initiate',
  'session-accept',
  'session-terminate',
  'session-info',
  'transport-info',
  'transport-replace',
  'transport-accept',
  'transport-reject',
];

/** The reasons we send and understand (XEP-0166 §7.4); anything else reads as `general-error`. */
export type JingleReason =
  | 'success'
  | 'decline'
  | 'cancel'
  | 'busy'
  | 'media-error'
  | 'failed-transport'
  | 'failed-application'
  | 'connectivity-error'
  | 'timeout'
  | 'unsupported-applications'
  | 'unsupported-transports'
  | 'security-error'
  | 'general-error';
const REASONS: readonly string[] = [
  'success',
  'decline',
  'cancel',
  'busy',
  'media-error',
  'failed-transport',
  'failed-application',
  'connectivity-error',
  'timeout',
  'unsupported-applications',
  'unsupported-transports',
  'security-error',
  'general-error',
];

export interface JingleFile {
  name: string;
  size: number;
  mediaType?: string | undefined;
  date?: string | undefined;
  desc?: string | undefined;
  hashes: FileHash[];
  /** XEP-0300 `<hash-used/>`: algorithms of a checksum sent later in session-info (XEP-0234 §8.1). */
  hashesUsed?: string[] | undefined;
  /** The XEP-0234 namespace of an offer in an older version (absent: the current one, :5). */
  ns?: string | undefined;
  /** A session-accept's `<range offset/>` above 0: a resumed transfer asked for (XEP-0234 §6.4); never sent. */
  rangeOffset?: number | undefined;
}

export type CandidateType = 'direct' | 'assisted' | 'tunnel' | 'proxy';
export interface Candidate {
  cid: string;
  host: string;
  port: number;
  jid: string;
  priority: number;
  type: CandidateType;
}

export type Transport =
  | { kind: 's5b'; sid: string; dstaddr?: string | undefined; candidates: Candidate[] }
  | { kind: 'ibb'; sid: string; blockSize: number };

/** A transport-info's one piece of news (XEP-0260 §2.3–2.5). */
export type S5bInfo =
  | { kind: 'candidate-used'; sid: string; cid: string }
  | { kind: 'candidate-error'; sid: string }
  | { kind: 'activated'; sid: string; cid: string }
  | { kind: 'proxy-error'; sid: string };

export interface JingleContent {
  creator: 'initiator' | 'responder';
  name: string;
  senders?: string | undefined;
  file?: JingleFile | undefined;
  transport?: Transport | undefined;
  info?: S5bInfo | undefined;
}

export interface Jingle {
  action: JingleAction;
  sid: string;
  initiator?: string | undefined;
  responder?: string | undefined;
  content?: JingleContent | undefined;
  reason?: JingleReason | undefined;
  /** session-info: a checksum for the file (XEP-0234 §8.1). */
  checksum?: FileHash[] | undefined;
}

const MAX_NAME = 1024;
const MAX_DESC = 2000;
const MAX_MIME = 255;
const MAX_CANDIDATES = 16;
const MAX_CID = 128;

// ── building ────────────────────────────────────────────────────────────────

export function buildFileDescription(file: JingleFile): Element {
  const ns = file.ns !== undefined && FT_NAMESPACES.includes(file.ns) ? file.ns : NS_JINGLE_FT;
  const description = xml('description', { xmlns: ns });
  // :3 wraps the file in <offer/> (XEP-0234 0.16 and earlier).
  (ns === NS_JINGLE_FT_3 ? description.c('offer') : description).append(
    xml(
      'file',
      {},
      ...(file.date ? [xml('date', {}, file.date)] : []),
      ...(file.mediaType ? [xml('media-type', {}, file.mediaType)] : []),
      xml('name', {}, file.name),
      xml('size', {}, String(file.size)),
      ...(file.desc ? [xml('desc', {}, file.desc)] : []),
      ...file.hashes.map((h) => buildHash(h)),
      ...(file.hashesUsed ?? []).map((algo) => buildHashUsed(algo)),
    ),
  );
  return description;
}

export function buildTransport(t: Transport): Element {
  if (t.kind === 'ibb')
    return xml('transport', { xmlns: NS_JINGLE_IBB, sid: t.sid, 'block-size': String(t.blockSize) });
  return xml(
    'transport',
    { xmlns: NS_JINGLE_S5B, sid: t.sid, mode: 'tcp', ...(t.dstaddr ? { dstaddr: t.dstaddr } : {}) },
    ...t.candidates.map((c) =>
      xml('candidate', {
        cid: c.cid,
        host: c.host,
        jid: c.jid,
        port: String(c.port),
        priority: String(c.priority),
        type: c.type,
      }),
    ),
  );
}

export function buildS5bInfo(info: S5bInfo): Element {
  const child =
    info.kind === 'candidate-used' || info.kind === 'activated' ? xml(info.kind, { cid: info.cid }) : xml(info.kind);
  return xml('transport', { xmlns: NS_JINGLE_S5B, sid: info.sid }, child);
}

export function buildJingle(j: Jingle): Element {
  const el = xml('jingle', {
    xmlns: NS_JINGLE,
    action: j.action,
    sid: j.sid,
    ...(j.initiator ? { initiator: j.initiator } : {}),
    ...(j.responder ? { responder: j.responder } : {}),
  });
  if (j.content) {
    const c = j.content;
    const content = xml('content', {
      creator: c.creator,
      name: c.name,
      ...(c.senders ? { senders: c.senders } : {}),
    });
    if (c.file) content.append(buildFileDescription(c.file));
    if (c.transport) content.append(buildTransport(c.transport));
    if (c.info) content.append(buildS5bInfo(c.info));
    el.append(content);
  }
  if (j.reason) el.append(xml('reason', {}, xml(j.reason)));
  if (j.checksum && j.content === undefined)
    el.append(
      xml(
        'checksum',
        { xmlns: NS_JINGLE_FT, creator: 'initiator', name: 'a-file-offer' },
        xml('file', {}, ...j.checksum.map((h) => buildHash(h))),
      ),
    );
  return el;
}

/** The IQ error payload for a session we do not know (XEP-0166 §7.2). */
export function buildUnknownSession(): Element {
  return xml(
    'error',
    { type: 'cancel' },
    xml('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }),
    xml('unknown-session', { xmlns: NS_JINGLE_ERRORS }),
  );
}

// ── parsing ─────────────────────────────────────────────────────────────────

function text(el: Element | undefined, max: number): string | undefined {
  const t = el?.text().trim();
  return t && t.length <= max ? t : undefined;
}

export function parseFile(description: Element | undefined): JingleFile | undefined | 'size' {
  const ns = description?.name === 'description' ? description.getNS() : undefined;
  if (!description || ns === undefined || !FT_NAMESPACES.includes(ns)) return undefined;
  const file = (ns === NS_JINGLE_FT_3 ? description.getChild('offer') : description)?.getChild('file');
  if (!file) return undefined;
  const name = text(file.getChild('name'), MAX_NAME);
  const rawSize = file.getChild('size')?.text().trim();
  if (!name) return undefined;
  if (typeof rawSize === 'string' && /^\d{17,}$/u.test(rawSize)) return 'size';
  const size = parseSize(rawSize);
  if (size === undefined) return undefined;
  if (size > MAX_OFFER_SIZE) return 'size';
  const media = text(file.getChild('media-type'), MAX_MIME);
  const desc = file.getChild('desc')?.text().trim();
  const offset: unknown = file.getChild('range')?.attrs['offset'];
  const rangeOffset = typeof offset === 'string' && /^\d{1,16}$/u.test(offset) ? Number(offset) : 0;
  return {
    name,
    size,
    mediaType: media && /^[\w.+-]+\/[\w.+-]+$/u.test(media) ? media : undefined,
    date: text(file.getChild('date'), 64),
    desc: desc ? desc.slice(0, MAX_DESC) : undefined,
    hashes: parseHashes(file),
    ...(parseHashesUsed(file).length > 0 ? { hashesUsed: parseHashesUsed(file) } : {}),
    ...(ns === NS_JINGLE_FT ? {} : { ns }),
    ...(rangeOffset > 0 ? { rangeOffset } : {}),
  };
}

function validCid(cid: unknown): cid is string {
  return typeof cid === 'string' && cid.length > 0 && cid.length <= MAX_CID && /^[\x21-\x7e]+$/u.test(cid);
}

function parseCandidate(el: Element): Candidate | undefined {
  const { cid, host, jid } = el.attrs;
  const port = /^\d{1,5}$/u.test(String(el.attrs['port'] ?? '1080')) ? Number(el.attrs['port'] ?? 1080) : 0;
  const priority = /^\d{1,10}$/u.test(String(el.attrs['priority'] ?? '')) ? Number(el.attrs['priority']) : -1;
  const type: unknown = el.attrs['type'] ?? 'direct';
  if (!validCid(cid) || typeof host !== 'string' || host.length === 0 || host.length > 255) return undefined;
  if (!/^[A-Za-z0-9.:[\]-]+$/u.test(host)) return undefined;
  if (typeof jid !== 'string' || jid.length === 0 || jid.length > 3071) return undefined;
  if (port < 1 || port > 65_535 || priority < 0 || priority > 0xffffffff) return undefined;
  if (type !== 'direct' && type !== 'assisted' && type !== 'tunnel' && type !== 'proxy') return undefined;
  return { cid, host, jid, port, priority, type };
}

export function parseTransport(el: Element | undefined): Transport | undefined {
  if (!el) return undefined;
  const sid: unknown = el.attrs['sid'];
  if (!validSid(sid)) return undefined;
  if (el.is('transport', NS_JINGLE_IBB)) {
    const raw: unknown = el.attrs['block-size'] ?? '4096';
    if (typeof raw !== 'string' || !/^\d{1,6}$/u.test(raw) || Number(raw) === 0) return undefined;
    return { kind: 'ibb', sid, blockSize: Number(raw) };
  }
  if (!el.is('transport', NS_JINGLE_S5B)) return undefined;
  if ((el.attrs['mode'] ?? 'tcp') !== 'tcp') return undefined;
  const dst: unknown = el.attrs['dstaddr'];
  const candidates = el
    .getChildren('candidate')
    .slice(0, MAX_CANDIDATES)
    .map(parseCandidate)
    .filter((c): c is Candidate => c !== undefined)
    .sort((a, b) => b.priority - a.priority);
  return {
    kind: 's5b',
    sid,
    dstaddr: typeof dst === 'string' && /^[0-9a-f]{40}$/u.test(dst) ? dst : undefined,
    candidates,
  };
}

/** The news in an s5b transport-info, if it is one of those we understand. */
export function parseS5bInfo(el: Element | undefined): S5bInfo | undefined {
  if (!el?.is('transport', NS_JINGLE_S5B)) return undefined;
  const sid: unknown = el.attrs['sid'];
  if (!validSid(sid)) return undefined;
  for (const child of el.getChildElements()) {
    const cid: unknown = child.attrs['cid'];
    if (child.name === 'candidate-used' || child.name === 'activated')
      return validCid(cid) ? { kind: child.name, sid, cid } : undefined;
    if (child.name === 'candidate-error' || child.name === 'proxy-error') return { kind: child.name, sid };
  }
  return undefined;
}

export type JingleParse =
  | { ok: true; jingle: Jingle }
  | { ok: false; error: 'bad-request' | 'size'; sid?: string }
  /** A well-formed session-initiate we cannot take: acknowledged, then ended with `reason` (XEP-0166 §6.3.2). */
  | { ok: false; error: 'terminate'; sid: string; reason: JingleReason };

/** A `<jingle/>` element (the payload of an IQ set). */
export function parseJingle(el: Element): JingleParse {
  if (!el.is('jingle', NS_JINGLE)) return { ok: false, error: 'bad-request' };
  const action: unknown = el.attrs['action'];
  const sid: unknown = el.attrs['sid'];
  if (!validSid(sid)) return { ok: false, error: 'bad-request' };
  if (typeof action !== 'string' || !ACTIONS.includes(action)) return { ok: false, error: 'bad-request', sid };
  const jid = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 3071 ? v : undefined);
  const jingle: Jingle = {
    action: action as JingleAction,
    sid,
    initiator: jid(el.attrs['initiator']),
    responder: jid(el.attrs['responder']),
  };
  const contents = el.getChildren('content');
  if (contents.length > 1) return { ok: false, error: 'bad-request', sid }; // one file per session
  const c = contents[0];
  if (c) {
    const creator: unknown = c.attrs['creator'];
    const name: unknown = c.attrs['name'];
    if ((creator !== 'initiator' && creator !== 'responder') || typeof name !== 'string' || name.length > 256)
      return { ok: false, error: 'bad-request', sid };
    const transportEl = c.getChild('transport', NS_JINGLE_S5B) ?? c.getChild('transport', NS_JINGLE_IBB);
    const descriptionEl = c.getChildren('description').find((d) => FT_NAMESPACES.includes(d.getNS() ?? ''));
    if (action === 'session-initiate') {
      const refuse = (reason: JingleReason): JingleParse => ({ ok: false, error: 'terminate', sid, reason });
      // Another application (a call, an ancient file-transfer:1/:2), another transport (ICE,
      // WebRTC data channel), or bytes wrapped in a layer we lack (JET, Gajim's XTLS, any
      // `<security/>`) or encrypted with keys we do not hold: said, not guessed.
      if (!descriptionEl && c.getChild('description')) return refuse('unsupported-applications');
      if (!transportEl && c.getChild('transport')) return refuse('unsupported-transports');
      const offered = descriptionEl?.getChild('offer') ?? descriptionEl;
      if (c.getChild('security') ?? offered?.getChild('file')?.getChild('encrypted', NS_LEGACY_OMEMO))
        return refuse('security-error');
    }
    const file = parseFile(descriptionEl);
    if (file === 'size') return { ok: false, error: 'size', sid };
    const senders: unknown = c.attrs['senders'];
    jingle.content = {
      creator,
      name,
      senders: typeof senders === 'string' ? senders : undefined,
      file,
      transport: action === 'transport-info' ? undefined : parseTransport(transportEl),
      info: action === 'transport-info' ? parseS5bInfo(transportEl) : undefined,
    };
  }
  // The condition, wherever it stands beside an optional <text/> (XEP-0166 §7.4).
  const reason = el
    .getChild('reason')
    ?.getChildElements()
    .find((r) => r.name !== 'text')?.name;
  if (reason !== undefined) jingle.reason = REASONS.includes(reason) ? (reason as JingleReason) : 'general-error';
  const checksum = el
    .getChildren('checksum')
    .find((x) => FT_NAMESPACES.includes(x.getNS() ?? ''))
    ?.getChild('file');
  if (checksum) jingle.checksum = parseHashes(checksum);
  return { ok: true, jingle };
}

/** Does a peer's feature list allow a Jingle file transfer with at least one of our transports? */
export function supportsJingleFt(features: readonly string[]): boolean {
  return (
    features.includes(NS_JINGLE) &&
    features.includes(NS_JINGLE_FT) &&
    (features.includes(NS_JINGLE_S5B) || features.includes(NS_JINGLE_IBB))
  );
}

/** Which party's candidate carries the bytes (XEP-0260 §2.4), and the candidate. */
export interface Nominated {
  /** The party that offered the candidate (the other one connected to it). */
  offeredBy: 'initiator' | 'responder';
  candidate: Candidate;
}

/**
 * XEP-0260 §2.4, the nominated candidate from both parties' reports: `byInitiator` is the
 * responder's candidate the initiator connected to (its candidate-used), `byResponder` the
 * initiator's candidate the responder connected to; undefined for a candidate-error. With
 * both, the higher priority wins, and on equal priorities the initiator's choice. None: the
 * transport failed (fall back, e.g. transport-replace to IBB).
 */
export function nominate(
  byInitiator: Candidate | undefined,
  byResponder: Candidate | undefined,
): Nominated | undefined {
  if (byInitiator && (!byResponder || byInitiator.priority >= byResponder.priority))
    return { offeredBy: 'responder', candidate: byInitiator };
  if (byResponder) return { offeredBy: 'initiator', candidate: byResponder };
  return undefined;
}

export { NS_HASHES };
