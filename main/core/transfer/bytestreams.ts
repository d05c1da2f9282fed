/**
 * XEP-0065 SOCKS5 bytestreams, the stanzas: the streamhost list, the receiver's
 * streamhost-used answer, proxy discovery (the proxy's own address query) and activation, and
 * the SOCKS5 destination address SHA1(SID + initiator JID + target JID). Pure.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { NS_BYTESTREAMS, validSid } from './si.ts';

export { NS_BYTESTREAMS };

export interface Streamhost {
  jid: string;
  host: string;
  port: number;
}

const MAX_STREAMHOSTS = 16;

/** SHA1(SID + initiator full JID + target full JID), lowercase hex (XEP-0065 §5.3.2). */
export function dstAddr(sid: string, initiator: string, target: string): string {
  return createHash('sha1').update(`${sid}${initiator}${target}`, 'utf8').digest('hex');
}

function validHost(host: unknown): host is string {
  if (typeof host !== 'string' || host.length === 0 || host.length > 255) return false;
  return net.isIP(host) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/u.test(host);
}

function validPort(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,5}$/u.test(value)) return undefined;
  const port = Number(value);
  return port > 0 && port < 65536 ? port : undefined;
}

function parseStreamhost(el: Element): Streamhost | undefined {
  const { jid, host } = el.attrs;
  const port = validPort(el.attrs['port'] ?? '1080');
  if (typeof jid !== 'string' || jid.length === 0 || jid.length > 3071 || !validHost(host) || port === undefined)
    return undefined;
  return { jid, host, port };
}

export function buildStreamhosts(sid: string, hosts: readonly Streamhost[]): Element {
  return xml(
    'query',
    { xmlns: NS_BYTESTREAMS, sid, mode: 'tcp' },
    ...hosts.map((h) => xml('streamhost', { jid: h.jid, host: h.host, port: String(h.port) })),
  );
}

/** The initiator's streamhost list; undefined when malformed or in UDP mode (not supported). */
export function parseStreamhosts(query: Element): { sid: string; hosts: Streamhost[] } | undefined {
  if (!query.is('query', NS_BYTESTREAMS)) return undefined;
  const sid: unknown = query.attrs['sid'];
  const mode: unknown = query.attrs['mode'] ?? 'tcp';
  if (!validSid(sid) || mode !== 'tcp') return undefined;
  const hosts = query
    .getChildren('streamhost')
    .slice(0, MAX_STREAMHOSTS)
    .map(parseStreamhost)
    .filter((h): h is Streamhost => h !== undefined);
  return { sid, hosts };
}

export function buildStreamhostUsed(jid: string): Element {
  return xml('query', { xmlns: NS_BYTESTREAMS }, xml('streamhost-used', { jid }));
}

export function parseStreamhostUsed(query: Element | undefined): string | undefined {
  const jid: unknown = query?.is('query', NS_BYTESTREAMS) ? query.getChild('streamhost-used')?.attrs['jid'] : undefined;
  return typeof jid === 'string' && jid.length > 0 ? jid : undefined;
}

/** Asks a proxy for its network address. */
export function buildProxyQuery(): Element {
  return xml('query', { xmlns: NS_BYTESTREAMS });
}

/** A proxy's answer: its streamhost (the `jid` attribute defaults to the proxy's address). */
export function parseProxyAddress(query: Element | undefined, proxyJid: string): Streamhost | undefined {
  const el = query?.is('query', NS_BYTESTREAMS) ? query.getChild('streamhost') : undefined;
  if (!el) return undefined;
  const jid: unknown = el.attrs['jid'];
  return parseStreamhost(xml('streamhost', { ...el.attrs, jid: typeof jid === 'string' ? jid : proxyJid }));
}

export function buildActivate(sid: string, target: string): Element {
  return xml('query', { xmlns: NS_BYTESTREAMS, sid }, xml('activate', {}, target));
}
