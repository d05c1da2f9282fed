/**
 * XEP-0066 out-of-band data in messages, as HTTP File Upload (XEP-0363) clients share files:
 * Conversations, Gajim, Dino and Monal send the GET URL as the body and again in
 * `<x xmlns='jabber:x:oob'><url/></x>`. Only such a message becomes an attachment (a body that
 * is exactly the link), and only for an https URL without credentials: anything else stays an
 * ordinary text message, so a sender cannot hide other text behind a file bubble. Pure.
 */
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import { CoreError } from '../errors.ts';
import { sanitizeFileName } from '../transfer/safe-name.ts';

export const NS_OOB = 'jabber:x:oob';
export const MAX_ATTACHMENT_URL = 8192;
const MAX_DESC = 1024;

/** What a message says about a shared file (the contract's `Message['attachment']`). */
export interface Attachment {
  url: string;
  /** The sanitised file name from the URL's last path segment. */
  name?: string | undefined;
  size?: number | undefined;
  mediaType?: string | undefined;
}

/** An https URL without credentials, at most MAX_ATTACHMENT_URL long; undefined otherwise. */
export function httpsUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ATTACHMENT_URL) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password || !url.hostname) return undefined;
  return url;
}

/** The first `<x xmlns='jabber:x:oob'>` of a message: its url (as written) and description. */
export function parseOob(message: Element): { url: string; desc?: string } | undefined {
  const x = message.getChild('x', NS_OOB);
  const url = x?.getChildText('url')?.trim();
  if (!x || !url || url.length > MAX_ATTACHMENT_URL) return undefined;
  const desc = x.getChildText('desc')?.trim().slice(0, MAX_DESC);
  return desc ? { url, desc } : { url };
}

export function buildOob(url: string, desc?: string): Element {
  return xml('x', { xmlns: NS_OOB }, xml('url', {}, url), ...(desc ? [xml('desc', {}, desc)] : []));
}

/** The file name an URL's last path segment names, sanitised; undefined when it names none. */
export function nameFromUrl(url: URL): string | undefined {
  const last = url.pathname.split('/').pop() ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    decoded = last;
  }
  return decoded.trim() ? sanitizeFileName(decoded) : undefined;
}

const MEDIA_TYPES = new Map<string, string>(
  Object.entries({
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    gif: 'image/gif',
    webp: 'image/webp',
    pdf: 'application/pdf',
    txt: 'text/plain',
    mp4: 'video/mp4',
    mp3: 'audio/mpeg',
    m4a: 'audio/mp4',
    ogg: 'audio/ogg',
    opus: 'audio/ogg',
    zip: 'application/zip',
  }),
);

/**
 * The attachment a message shares: an XEP-0066 https url that is also the whole body (as
 * HTTP upload clients send it); undefined for anything else.
 */
export function attachmentOf(message: Element, body: string): Attachment | undefined {
  const oob = parseOob(message);
  if (oob?.url !== body.trim()) return undefined;
  const url = httpsUrl(oob.url);
  return url ? describe(url, oob.url) : undefined;
}

/** The attachment for a link: its name from the URL (sanitised) and a media type guessed from the extension. */
function describe(url: URL, href: string): Attachment {
  const name = nameFromUrl(url);
  const ext = name?.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  const mediaType = MEDIA_TYPES.get(ext);
  return { url: href, ...(name ? { name } : {}), ...(mediaType ? { mediaType } : {}) };
}

/**
 * The attachment of a message we send with `url` (an HTTP upload's link): the body must be
 * exactly that https link, as the clients that show it as a file expect.
 */
export function sharedLink(url: string, body: string): Attachment {
  const parsed = httpsUrl(url);
  if (!parsed || body.trim() !== url)
    throw new CoreError('bad-request', 'A shared file’s message must be exactly its https link.');
  return describe(parsed, url);
}
