/** What an account's state means for the UI: its status words, and what the user can do about it. */
import type { AccountState, ErrorCode } from '../../../preload/contract.ts';
import { secondsUntil } from '../../app/useNow.ts';
import { coreErrorText } from '../../i18n/errors.ts';
import type { Messages } from '../../i18n/index.ts';

/** Errors another attempt cannot fix: the user has to type a password or decide about a certificate. */
const NEEDS_DECISION: ReadonlySet<ErrorCode> = new Set([
  'auth-failed',
  'auth-downgrade',
  'certificate-untrusted',
  'certificate-changed',
]);

export type CertificateProblem = 'untrusted' | 'changed';

export function certificateProblem(account: AccountState): CertificateProblem | null {
  if (account.status !== 'error') return null;
  if (account.error?.code === 'certificate-untrusted') return 'untrusted';
  if (account.error?.code === 'certificate-changed') return 'changed';
  return null;
}

/** The account cannot connect until the user types its password. */
export function needsPassword(account: AccountState): boolean {
  if (!account.enabled) return false;
  if (account.status === 'error') return account.error?.code === 'auth-failed';
  return account.status === 'offline' && !account.hasPassword;
}

/** "Reconnect now" makes sense: a wait, or a failure that another attempt might get past. */
export function canReconnect(account: AccountState): boolean {
  if (!account.enabled || !account.hasPassword) return false;
  if (account.status === 'waiting' || account.status === 'offline') return true;
  return account.status === 'error' && (account.error === undefined || !NEEDS_DECISION.has(account.error.code));
}

/** The sentence that explains an error (a few codes get Parley's own words). */
export function errorMessage(account: AccountState, t: Messages): string {
  const error = account.error;
  if (error === undefined) return t.statusError;
  if (error.code === 'conflict') return t.conflictMessage;
  return coreErrorText(error, t);
}

/** One line: "Online", "Connecting…", "Reconnecting in 12 s", or what went wrong. */
export function statusText(account: AccountState, t: Messages, now: number): string {
  switch (account.status) {
    case 'online':
      return t.statusOnline;
    case 'connecting':
      return t.statusConnecting;
    case 'offline':
      return t.statusOffline;
    case 'disabled':
      return t.statusDisabled;
    case 'waiting':
      return account.nextRetryAt === undefined || account.nextRetryAt <= now
        ? t.statusConnecting
        : t.statusWaiting(secondsUntil(account.nextRetryAt, now));
    case 'error':
      return errorMessage(account, t);
  }
}

/** A CSS tone for the status dot. */
export type Tone = 'online' | 'connecting' | 'offline' | 'error';

export function toneOf(account: AccountState): Tone {
  switch (account.status) {
    case 'online':
      return 'online';
    case 'connecting':
    case 'waiting':
      return 'connecting';
    case 'error':
      return 'error';
    case 'offline':
    case 'disabled':
      return 'offline';
  }
}

/** Several accounts summed up for the sidebar header. */
export function overall(accounts: readonly AccountState[], t: Messages, now: number): { tone: Tone; text: string } {
  const enabled = accounts.filter((a) => a.enabled);
  const only = enabled.length === 1 ? enabled[0] : accounts.length === 1 ? accounts[0] : undefined;
  if (only !== undefined) return { tone: toneOf(only), text: statusText(only, t, now) };
  if (enabled.length === 0) return { tone: 'offline', text: t.allDisabled };
  const online = enabled.filter((a) => a.status === 'online').length;
  const tones = enabled.map(toneOf);
  const tone: Tone = tones.includes('error')
    ? 'error'
    : online === enabled.length
      ? 'online'
      : tones.includes('connecting')
        ? 'connecting'
        : online > 0
          ? 'online'
          : 'offline';
  const text =
    online === enabled.length
      ? t.allOnline
      : online > 0
        ? t.someOnline(online, enabled.length)
        : tone === 'connecting'
          ? t.statusConnecting
          : t.statusOffline;
  return { tone, text };
}
