/** Words and numbers for transfers (issue 6): sizes, speeds, time left, methods, states, reasons. */
import type { Transfer } from '../../../preload/contract.ts';
import type { Language, Messages } from '../../i18n/index.ts';

const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** "512 B", "1.5 MB" (binary multiples, as file managers show them). */
export function formatBytes(n: number, lang: Language, t: Messages): string {
  if (n < 1024) return `${new Intl.NumberFormat(lang).format(n)} ${t.bytesUnit}`;
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value)} ${UNITS[unit] ?? 'TB'}`;
}

/** "45 sec", "3 min", "2 hr" in the user's language. */
export function formatDuration(seconds: number, lang: Language): string {
  const s = Math.max(1, Math.ceil(seconds));
  const [value, unit] =
    s < 60 ? [s, 'second'] : s < 3600 ? [Math.ceil(s / 60), 'minute'] : [Math.ceil(s / 360) / 10, 'hour'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(
    value,
  );
}

export function methodText(method: Transfer['method'], t: Messages): string | undefined {
  switch (method) {
    case 'socks5-direct':
      return t.methodDirect;
    case 'socks5-proxy':
      return t.methodProxy;
    case 'ibb':
      return t.methodIbb;
    case 'http-upload':
      return t.methodUpload;
    case undefined:
      return undefined;
  }
}

/** Why the core chose an upload ('transfer.sendFile'), when it says. */
export function choiceText(choice: Transfer['choice'], t: Messages): string | undefined {
  switch (choice) {
    case 'peer-offline':
      return t.choicePeerOffline;
    case 'peer-no-direct':
      return t.choicePeerNoDirect;
    case 'peer-jingle':
    case 'peer-si':
    case undefined:
      return undefined;
  }
}

export function stateText(state: Transfer['state'], t: Messages): string {
  switch (state) {
    case 'offered':
      return t.transferStateOffered;
    case 'waiting':
      return t.transferStateWaiting;
    case 'connecting':
      return t.transferStateConnecting;
    case 'transferring':
      return t.transferStateTransferring;
    case 'completed':
      return t.transferStateCompleted;
    case 'failed':
      return t.transferStateFailed;
  }
}

/** The failure's sentence in the user's language. */
export function reasonText(reason: Transfer['reason'], t: Messages): string {
  switch (reason) {
    case 'declined':
      return t.reasonDeclined;
    case 'timed-out':
      return t.reasonTimedOut;
    case 'no-streamhost':
      return t.reasonNoStreamhost;
    case 'size-limit':
      return t.reasonSizeLimit;
    case 'hash-mismatch':
      return t.reasonHashMismatch;
    case 'cancelled':
      return t.reasonCancelled;
    case 'interrupted':
      return t.reasonInterrupted;
    case 'offline':
      return t.reasonOffline;
    case 'error':
    case undefined:
      return t.reasonError;
  }
}

export const isActive = (tr: Transfer): boolean => tr.state !== 'completed' && tr.state !== 'failed';

/** Whole percent, 100 only when completed. */
export function percent(tr: Transfer): number {
  if (tr.state === 'completed') return 100;
  if (tr.size <= 0) return 0;
  return Math.min(99, Math.floor((tr.bytes / tr.size) * 100));
}

/** The bare JID of a full one. */
export function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return (slash === -1 ? jid : jid.slice(0, slash)).toLowerCase();
}

/** A URL compared as the core stores it (`URL.href`); the text itself when it does not parse. */
function normalUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/**
 * Transfer history: the newest completed download of a shared link (`attachment.download`) by
 * this account, so that a file bubble finds its saved file again after a restart.
 */
export function savedDownload(transfers: readonly Transfer[], accountId: string, url: string): Transfer | undefined {
  const wanted = normalUrl(url);
  return transfers.findLast(
    (tr) =>
      tr.accountId === accountId &&
      tr.direction === 'in' &&
      tr.state === 'completed' &&
      tr.url !== undefined &&
      normalUrl(tr.url) === wanted,
  );
}
