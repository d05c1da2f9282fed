/**
 * Small questions one entity asks another: XEP-0092 Software Version, XEP-0202 Entity
 * Time, XEP-0012 Last Activity, and XEP-0319 Last User Interaction in Presence (idle).
 * XEP-0082 dates. Pure parsers and builders; never throwing on hostile input.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { cleanText } from './register.ts';

/** XEP-0199 ping (answered in accounts/account.ts); here for the feature list. */
export const NS_PING = 'urn:xmpp:ping';
export const NS_VERSION = 'jabber:iq:version';
export const NS_TIME = 'urn:xmpp:time';
export const NS_LAST = 'jabber:iq:last';
export const NS_IDLE = 'urn:xmpp:idle:1';

export const PARLEY_NAME = 'Parley';

const MAX_FIELD = 256;
const MAX_STATUS = 1024;
/** Last activity beyond this (about 126 years) is nonsense. */
const MAX_SECONDS = 4_000_000_000;
/** Clock skew tolerated on an idle time in the future. */
const IDLE_SKEW_MS = 5 * 60_000;

function attr(el: Element, name: string): string | undefined {
  const value: unknown = el.attrs[name];
  return typeof value === 'string' ? value : undefined;
}

// --- XEP-0082 dates --------------------------------------------------------------

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/u;

/** Minutes east of UTC of an XEP-0082 time zone ('Z' or ±hh:mm), or undefined. */
export function parseTzo(value: string): number | undefined {
  if (value === 'Z') return 0;
  const m = /^([+-])(\d{2}):(\d{2})$/u.exec(value);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** ±hh:mm for minutes east of UTC. */
export function formatTzo(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(Math.trunc(offsetMinutes));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An XEP-0082 DateTime (CCYY-MM-DDThh:mm:ss[.sss]TZD) in ms since the epoch, or undefined. */
export function parseDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const offset = parseTzo(m[8] ?? '');
  if (offset === undefined || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return undefined;
  const dayStart = Date.UTC(year, month - 1, day);
  if (new Date(dayStart).getUTCDate() !== day || new Date(dayStart).getUTCFullYear() !== year) return undefined;
  const ms = Number(`0.${m[7] ?? '0'}`) * 1000;
  // A leap second (:60) counts as the last millisecond of its minute.
  const time =
    dayStart + ((hour * 60 + minute) * 60 + Math.min(second, 59)) * 1000 + (second === 60 ? 999 : Math.floor(ms));
  return time - offset * 60_000;
}

/** An XEP-0082 DateTime in UTC, without fractions: 2026-01-31T12:00:00Z. */
export function formatDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// --- XEP-0092 Software Version -----------------------------------------------------

export interface SoftwareVersion {
  name: string;
  version?: string;
  os?: string;
}

/** `<query xmlns='jabber:iq:version'/>` (iq get, to a full JID). */
export function buildVersionRequest(): Element {
  return xml('query', { xmlns: NS_VERSION });
}

/** A version result, cleaned and bounded; undefined without a name (XEP-0092 requires it). */
export function parseVersion(query: Element): SoftwareVersion | undefined {
  if (!query.is('query', NS_VERSION)) return undefined;
  const text = (name: string) => cleanText(query.getChildText(name) ?? '', MAX_FIELD);
  const name = text('name');
  if (name === '') return undefined;
  const version = text('version');
  const os = text('os');
  return { name, ...(version ? { version } : {}), ...(os ? { os } : {}) };
}

/**
 * Parley's answer: name Parley, its version, and the operating system only when given
 * (it tells an attacker what to aim at; XEP-0092 §5: leave it out by default).
 */
export function buildVersionAnswer(version: string, os?: string): Element {
  return xml(
    'query',
    { xmlns: NS_VERSION },
    xml('name', {}, PARLEY_NAME),
    xml('version', {}, version),
    ...(os !== undefined && os !== '' ? [xml('os', {}, os)] : []),
  );
}

// --- XEP-0202 Entity Time ------------------------------------------------------------

export interface EntityTime {
  /** The entity's clock, in ms since the epoch. */
  utc: number;
  /** Its time zone, minutes east of UTC. */
  offsetMinutes: number;
}

/** `<time xmlns='urn:xmpp:time'/>` (iq get). */
export function buildTimeRequest(): Element {
  return xml('time', { xmlns: NS_TIME });
}

/** A time result; undefined unless both tzo and utc are valid. */
export function parseTime(time: Element): EntityTime | undefined {
  if (!time.is('time', NS_TIME)) return undefined;
  const tzo = parseTzo((time.getChildText('tzo') ?? '').trim());
  const utc = parseDateTime((time.getChildText('utc') ?? '').trim());
  if (tzo === undefined || utc === undefined) return undefined;
  return { utc, offsetMinutes: tzo };
}

/** Our answer: the time zone offset (minutes east of UTC; the machine's by default) and the time in UTC. */
export function buildTimeAnswer(now: number = Date.now(), offsetMinutes = -new Date(now).getTimezoneOffset()): Element {
  return xml('time', { xmlns: NS_TIME }, xml('tzo', {}, formatTzo(offsetMinutes)), xml('utc', {}, formatDateTime(now)));
}

// --- XEP-0012 Last Activity ------------------------------------------------------------

export interface LastActivity {
  /**
   * To a bare JID (answered by the server): seconds since the contact's last logout.
   * To a full JID: seconds the client has been idle. To a server: its uptime.
   */
  seconds: number;
  /** The status of the last unavailable presence, if the server keeps it. */
  status?: string;
}

/** `<query xmlns='jabber:iq:last'/>` (iq get). */
export function buildLastRequest(): Element {
  return xml('query', { xmlns: NS_LAST });
}

export function parseLast(query: Element): LastActivity | undefined {
  if (!query.is('query', NS_LAST)) return undefined;
  const raw = attr(query, 'seconds')?.trim();
  if (raw === undefined || !/^\d{1,10}$/u.test(raw)) return undefined;
  const seconds = Number(raw);
  if (seconds > MAX_SECONDS) return undefined;
  const status = cleanText(query.text(), MAX_STATUS);
  return { seconds, ...(status ? { status } : {}) };
}

/** When the last activity was, in ms since the epoch, for an answer received at `now`. */
export function lastActiveAt(last: LastActivity, now: number = Date.now()): number {
  return now - last.seconds * 1000;
}

/** Parley's answer to a last-activity query to its full JID: how long the user has been idle. */
export function buildLastAnswer(idleSeconds: number): Element {
  const seconds = Number.isFinite(idleSeconds) ? Math.min(MAX_SECONDS, Math.max(0, Math.floor(idleSeconds))) : 0;
  return xml('query', { xmlns: NS_LAST, seconds: String(seconds) });
}

// --- XEP-0319 idle in presence ----------------------------------------------------------

/** `<idle xmlns='urn:xmpp:idle:1' since=…/>` for a presence: the user has been idle since `since` (ms). */
export function buildIdle(since: number): Element {
  return xml('idle', { xmlns: NS_IDLE, since: formatDateTime(since) });
}

/**
 * The idle time of a presence (or an `<idle/>` itself), in ms since the epoch. Undefined
 * without one or with an invalid date, or one far in the future; a little in the future
 * (clock skew) counts as now.
 */
export function parseIdle(stanza: Element, now: number = Date.now()): number | undefined {
  const idle = stanza.is('idle', NS_IDLE) ? stanza : stanza.getChild('idle', NS_IDLE);
  if (!idle) return undefined;
  const since = parseDateTime(attr(idle, 'since'));
  if (since === undefined || since > now + IDLE_SKEW_MS) return undefined;
  return Math.min(since, now);
}
