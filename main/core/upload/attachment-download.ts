/**
 * Saving a message's attachment (an HTTP upload link, XEP-0363/XEP-0066) on request: https
 * only; the size is asked first (HEAD, with the trust the XMPP connections use: the OS store,
 * Node's roots and NODE_EXTRA_CA_CERTS), and a file above the confirmation threshold (at most
 * 2 GiB) waits for the user's yes. The download itself is a transfer of the account's transfer
 * service (main/core/transfer/): streamed into a `.part` file in the downloads folder, given its
 * sanitised name without replacing any file, with progress and cancel; removed on failure.
 */
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Message, Transfer } from '../../../preload/contract.ts';
import { CoreError } from '../errors.ts';
import { TLS_MIN_VERSION, trustedCaCertificates } from '../xmpp/tls.ts';
import { httpsUrl } from './oob.ts';

/** Above this many bytes a download waits for the user's confirmation (2 GiB), unless a lower threshold is asked. */
export const CONFIRM_ABOVE_MAX = 2 * 1024 ** 3;
const HEAD_TIMEOUT_MS = 15_000;

let agent: https.Agent | undefined;
/** An agent trusting what the XMPP connections trust (built once: NODE_EXTRA_CA_CERTS is read at start). */
function trustingAgent(): https.Agent {
  agent ??= new https.Agent({ ca: trustedCaCertificates(), minVersion: TLS_MIN_VERSION, keepAlive: false });
  return agent;
}

/**
 * The size the server states for a URL (HEAD; redirects are not followed): a number, or
 * undefined when it does not say (no Content-Length, or HEAD not allowed); an error when the
 * file is not there or the server cannot be reached over trusted TLS.
 */
export async function headSize(url: URL, ca?: string[]): Promise<number | undefined> {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = https.request(url, {
      method: 'HEAD',
      ...(ca ? { ca, minVersion: TLS_MIN_VERSION } : { agent: trustingAgent() }),
      timeout: HEAD_TIMEOUT_MS,
    });
    req.once('response', resolve);
    req.once('timeout', () => req.destroy(new CoreError('timeout', 'The file’s server did not answer in time.')));
    req.once('error', reject);
    req.end();
  }).catch((err: unknown) => {
    if (err instanceof CoreError) throw err;
    throw new CoreError('network', `The file’s server cannot be reached: ${errorText(err)}`, { cause: err });
  });
  res.resume();
  const status = res.statusCode ?? 0;
  if (status === 405 || status === 501) return undefined; // no HEAD here: the GET still refuses an oversize body
  if (status === 404 || status === 410) throw new CoreError('not-found', 'The file is no longer available.');
  if (status !== 200) throw new CoreError('network', `The file cannot be downloaded (HTTP ${String(status)}).`);
  const raw = res.headers['content-length'];
  if (typeof raw !== 'string' || !/^\d{1,16}$/u.test(raw)) return undefined;
  const size = Number(raw);
  return Number.isSafeInteger(size) ? size : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type AttachmentDownload = { status: 'started'; transfer: Transfer } | { status: 'confirm'; size: number };

export interface AttachmentDownloadRequest {
  confirmed?: boolean | undefined;
  /** Ask above this many bytes (never above CONFIRM_ABOVE_MAX). */
  confirmAbove?: number | undefined;
}

/**
 * Starts saving `message`'s attachment through `download` (the transfer service's), once its
 * size is known and, above the threshold, confirmed.
 */
export async function downloadAttachment(
  message: Message | undefined,
  request: AttachmentDownloadRequest,
  download: (url: string) => Transfer | Promise<Transfer>,
  size: (url: URL) => Promise<number | undefined> = (url) => headSize(url),
): Promise<AttachmentDownload> {
  if (!message) throw new CoreError('not-found', 'No such message.');
  if (!message.attachment) throw new CoreError('bad-request', 'This message has no file.');
  const url = httpsUrl(message.attachment.url);
  if (!url) throw new CoreError('bad-request', 'Only https links can be downloaded.');
  const threshold = Math.min(request.confirmAbove ?? CONFIRM_ABOVE_MAX, CONFIRM_ABOVE_MAX);
  const bytes = await size(url);
  if (bytes !== undefined && bytes > threshold && request.confirmed !== true) return { status: 'confirm', size: bytes };
  return { status: 'started', transfer: await download(url.href) };
}
