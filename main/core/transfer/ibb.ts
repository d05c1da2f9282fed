/**
 * XEP-0047 in-band bytestreams, the stanzas: open (block size, IQ stanzas only), data (base64
 * with a 16-bit sequence number) and close. Pure.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { NS_IBB, validSid } from './si.ts';

export { NS_IBB };

/** What we propose first; receivers that want less answer resource-constraint. */
export const IBB_BLOCK_SIZE = 16_384;
/** The fallback every implementation supports (XEP-0047's recommended default). */
export const IBB_FALLBACK_BLOCK_SIZE = 4096;
/** The largest block we accept as a receiver (fits in a 16-bit field, and in servers' stanza limits). */
export const IBB_MAX_BLOCK_SIZE = 65_535;

export function buildOpen(sid: string, blockSize: number): Element {
  return xml('open', { xmlns: NS_IBB, sid, 'block-size': String(blockSize), stanza: 'iq' });
}

export function parseOpen(el: Element): { sid: string; blockSize: number; stanza: 'iq' | 'message' } | undefined {
  if (!el.is('open', NS_IBB)) return undefined;
  const sid: unknown = el.attrs['sid'];
  const raw: unknown = el.attrs['block-size'];
  const stanza: unknown = el.attrs['stanza'] ?? 'iq';
  if (!validSid(sid) || typeof raw !== 'string' || !/^\d{1,6}$/u.test(raw)) return undefined;
  if (stanza !== 'iq' && stanza !== 'message') return undefined;
  const blockSize = Number(raw);
  return blockSize > 0 ? { sid, blockSize, stanza } : undefined;
}

export function buildData(sid: string, seq: number, data: Buffer): Element {
  return xml('data', { xmlns: NS_IBB, sid, seq: String(seq & 0xffff) }, data.toString('base64'));
}

/** A data element: its bytes, or undefined when malformed (bad seq, bad base64). */
export function parseData(
  el: Element,
  maxBlock = IBB_MAX_BLOCK_SIZE,
): { sid: string; seq: number; data: Buffer } | undefined {
  if (!el.is('data', NS_IBB)) return undefined;
  const sid: unknown = el.attrs['sid'];
  const rawSeq: unknown = el.attrs['seq'];
  if (!validSid(sid) || typeof rawSeq !== 'string' || !/^\d{1,5}$/u.test(rawSeq)) return undefined;
  const seq = Number(rawSeq);
  if (seq > 0xffff) return undefined;
  const text = el.text().replace(/\s+/gu, '');
  if (text.length > Math.ceil(maxBlock / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/u.test(text) || text.length % 4 !== 0)
    return undefined;
  return { sid, seq, data: Buffer.from(text, 'base64') };
}

/** The next sequence number (wraps at 65535 → 0). */
export function nextSeq(seq: number): number {
  return (seq + 1) & 0xffff;
}

export function buildClose(sid: string): Element {
  return xml('close', { xmlns: NS_IBB, sid });
}

export function parseClose(el: Element): string | undefined {
  const sid: unknown = el.is('close', NS_IBB) ? el.attrs['sid'] : undefined;
  return validSid(sid) ? sid : undefined;
}
