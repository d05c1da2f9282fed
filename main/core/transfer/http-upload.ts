/**
 * XEP-0363 HTTP File Upload: the upload service (found through disco on the server, with its
 * size limit), the slot request and answer, and streaming PUT/GET with progress. Only https
 * URLs are used; plain http to a loopback address only when the caller allows it (the core's
 * `insecureHttpForTests`, for a local test server: never in the Electron app); a slot's
 * headers are limited to the three the XEP allows, without line breaks.
 */
import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { pipeline } from 'node:stream/promises';
import xml from '@xmpp/xml';
import type { Element } from '@xmpp/xml';
import type { DiscoInfo } from '../xmpp/disco.ts';
import { TLS_MIN_VERSION, trustedCaCertificates } from '../xmpp/tls.ts';
import { TransferDataError } from './hash.ts';
import type { IncomingFile } from './file-sink.ts';

export const NS_HTTP_UPLOAD = 'urn:xmpp:http:upload:0';
const ALLOWED_HEADERS = new Set(['authorization', 'cookie', 'expires']);
const MAX_URL = 8192;

export interface UploadSlot {
  putUrl: string;
  getUrl: string;
  headers: Record<string, string>;
}

/** The service's size limit (bytes) from its disco#info form; undefined when it states none. */
export function uploadLimit(info: DiscoInfo): number | undefined {
  const form = info.forms.find((f) => f.formType === NS_HTTP_UPLOAD);
  const raw = form?.fields.find((f) => f.var === 'max-file-size')?.values[0]?.trim();
  if (!raw || !/^\d{1,16}$/u.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function buildSlotRequest(filename: string, size: number, contentType = 'application/octet-stream'): Element {
  return xml('request', { xmlns: NS_HTTP_UPLOAD, filename, size: String(size), 'content-type': contentType });
}

/**
 * A URL we may use: https (or, with `allowLoopbackHttp`, plain http to a loopback address, for
 * tests only); no credentials in it.
 */
export function usableUrl(value: unknown, allowLoopbackHttp = false): URL | undefined {
  if (typeof value !== 'string' || value.length > MAX_URL) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  if (url.protocol === 'https:') return url;
  if (!allowLoopbackHttp) return undefined;
  const host = url.hostname.replace(/^\[|\]$/gu, '');
  const loopback = host === 'localhost' || (net.isIPv4(host) && host.startsWith('127.')) || host === '::1';
  return url.protocol === 'http:' && loopback ? url : undefined;
}

/** The slot's URLs must be https (`allowLoopbackHttp`: or http on loopback, for tests only). */
export function parseSlot(slot: Element | undefined, allowLoopbackHttp = false): UploadSlot | undefined {
  if (!slot?.is('slot', NS_HTTP_UPLOAD)) return undefined;
  const put = slot.getChild('put');
  const putUrl = usableUrl(put?.attrs['url'], allowLoopbackHttp);
  const getUrl = usableUrl(slot.getChild('get')?.attrs['url'], allowLoopbackHttp);
  if (!put || !putUrl || !getUrl) return undefined;
  const headers: Record<string, string> = {};
  for (const h of put.getChildren('header')) {
    const name: unknown = h.attrs['name'];
    const value = h.text();
    if (typeof name !== 'string' || !ALLOWED_HEADERS.has(name.toLowerCase())) continue;
    if (/[\r\n]/u.test(value) || value.length > 4096) continue;
    headers[name] = value;
  }
  return { putUrl: putUrl.href, getUrl: getUrl.href, headers };
}

let agent: https.Agent | undefined;
/** https with the trust the XMPP connections use (OS store, Node's roots, NODE_EXTRA_CA_CERTS), TLS 1.2+. */
function requestOptions(url: URL): { request: typeof http.request; agent?: https.Agent } {
  if (url.protocol !== 'https:') return { request: http.request };
  agent ??= new https.Agent({ ca: trustedCaCertificates(), minVersion: TLS_MIN_VERSION, keepAlive: false });
  return { request: https.request, agent };
}

/** PUTs a file to a slot, streamed; `onBytes` sees the running total. */
export async function putFile(
  slot: UploadSlot,
  filePath: string,
  size: number,
  contentType: string,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const url = new URL(slot.putUrl);
  const { request, agent: tlsAgent } = requestOptions(url);
  const req = request(url, {
    method: 'PUT',
    ...(tlsAgent ? { agent: tlsAgent } : {}),
    headers: { ...slot.headers, 'Content-Length': String(size), 'Content-Type': contentType },
    ...(signal ? { signal } : {}),
  });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  // When the request fails, the pipeline below rejects with the same error: never unhandled here.
  response.catch(() => undefined);
  let sent = 0;
  const source = createReadStream(filePath, { start: 0, end: Math.max(0, size - 1) });
  source.on('data', (chunk) => {
    sent += chunk.length;
    onBytes(sent);
  });
  await pipeline(size === 0 ? [] : source, req);
  const res = await response;
  res.resume();
  if (res.statusCode !== 200 && res.statusCode !== 201)
    throw new Error(`The upload service refused the file (HTTP ${String(res.statusCode)}).`);
}

/**
 * GETs a URL into an IncomingFile (already size-checked by the caller through `expect`);
 * refuses a response larger than `maxBytes` before writing anything.
 */
export async function getInto(
  url: URL,
  open: (size: number) => Promise<IncomingFile>,
  maxBytes: number,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const { request, agent: tlsAgent } = requestOptions(url);
    const req = request(url, {
      method: 'GET',
      ...(tlsAgent ? { agent: tlsAgent } : {}),
      ...(signal ? { signal } : {}),
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
  if (res.statusCode !== 200) {
    res.resume();
    throw new Error(`The file could not be downloaded (HTTP ${String(res.statusCode)}).`);
  }
  const length = Number(res.headers['content-length']);
  if (!Number.isSafeInteger(length) || length < 0) {
    res.resume();
    throw new Error('The server did not say how large the file is.');
  }
  if (length > maxBytes) {
    res.destroy();
    throw new TransferDataError('beyond-size', 'The file is larger than allowed.');
  }
  const file = await open(length);
  try {
    for await (const chunk of res) {
      await file.write(chunk as Buffer);
      onBytes(file.bytes);
    }
    return await file.finish();
  } catch (err) {
    res.destroy();
    await file.abort();
    throw err;
  }
}
