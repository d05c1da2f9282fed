/**
 * Jingle (XEP-0166) file transfer (XEP-0234) with the SOCKS5 transport (XEP-0260) and the IBB
 * transport (XEP-0261), the stanzas: session-initiate / session-accept / session-terminate,
 * transport-info (candidate-used, candidate-error, activated, proxy-error), transport-replace /
 * transport-accept, and session-info checksums (XEP-0300 hashes). Pure: parsers never throw on
 * hostile input; they return undefined (or a reason) for what they cannot use.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { NS_HASHES, buildHash, parseHashes, type FileHash } from './hash.ts';
import { MAX_OFFER_SIZE, parseSize, validSid } from './si.ts';

export const NS_JINGLE = 'urn:xmpp:jingle:1';
export const NS_JINGLE_FT = 'urn:xmpp:jingle:apps:file-transfer:5';
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
  return xml(
    'description',
    { xmlns: NS_JINGLE_FT },
    xml(
      'file',
      {},
      ...(file.date ? [xml('date', {}, file.date)] : []),
      ...(file.mediaType ? [xml('media-type', {}, file.mediaType)] : []),
      xml('name', {}, file.name),
      xml('size', {}, String(file.size)),
      ...(file.desc ? [xml('desc', {}, file.desc)] : []),
      ...file.hashes.map((h) => buildHash(h)),
    ),
  );
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
  const file = description?.is('description', NS_JINGLE_FT) ? description.getChild('file') : undefined;
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
  return {
    name,
    size,
    mediaType: media && /^[\w.+-]+\/[\w.+-]+$/u.test(media) ? media : undefined,
    date: text(file.getChild('date'), 64),
    desc: desc ? desc.slice(0, MAX_DESC) : undefined,
    hashes: parseHashes(file),
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

export type JingleParse = { ok: true; jingle: Jingle } | { ok: false; error: 'bad-request' | 'size'; sid?: string };

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
    const file = parseFile(c.getChild('description', NS_JINGLE_FT));
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
  const reason = el.getChild('reason')?.getChildElements()[0]?.name;
  if (reason !== undefined) jingle.reason = REASONS.includes(reason) ? (reason as JingleReason) : 'general-error';
  const checksum = el.getChild('checksum', NS_JINGLE_FT)?.getChild('file');
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

export { NS_HASHES };
