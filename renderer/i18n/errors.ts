/**
 * The core's failures in the user's language. Every contract error code has a
 * sentence in each table; English shows the core's own sentence instead (it is
 * English and more precise: it names the host, the condition, the field).
 */
import type { ErrorCode } from '../../preload/contract.ts';
import { en } from './en.ts';
import type { Messages } from './index.ts';

type SentenceKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];

/** One sentence key per contract error code (a new code is a compile error here). */
export const ERROR_SENTENCES: Readonly<Record<ErrorCode, SentenceKey>> = {
  'bad-request': 'errBadRequest',
  'unknown-command': 'errUnknownCommand',
  'not-found': 'errNotFound',
  'auth-failed': 'errAuthFailed',
  'dns-failed': 'errDnsFailed',
  'connection-refused': 'errConnectionRefused',
  timeout: 'errTimeout',
  'tls-failed': 'errTlsFailed',
  'stream-error': 'errStreamError',
  network: 'errNetwork',
  'not-connected': 'errNotConnected',
  internal: 'errInternal',
  'certificate-untrusted': 'errCertificateUntrusted',
  'certificate-changed': 'errCertificateChanged',
  conflict: 'errConflict',
  'policy-violation': 'errPolicyViolation',
  'auth-downgrade': 'errAuthDowngrade',
  'registration-conflict': 'errRegistrationConflict',
  'not-acceptable': 'errNotAcceptable',
  'not-allowed': 'errNotAllowed',
  'not-supported': 'errNotSupported',
  'no-answer': 'errNoAnswer',
};

/** The sentence to show for a core error with this code and (English) message. */
export function coreErrorText(error: { code: ErrorCode; message: string }, t: Messages): string {
  if (t === en && error.message !== '') return error.message;
  return t[ERROR_SENTENCES[error.code]];
}

/** XEP-0086 / RFC 6120 conditions of a message that bounced, by sentence key. */
const BOUNCE_SENTENCES: Readonly<Record<string, SentenceKey>> = {
  'service-unavailable': 'bounceServiceUnavailable',
  'item-not-found': 'bounceItemNotFound',
  'remote-server-not-found': 'bounceRemoteServerNotFound',
  'remote-server-timeout': 'bounceRemoteServerTimeout',
  forbidden: 'bounceForbidden',
  'not-acceptable': 'bounceNotAcceptable',
  'policy-violation': 'bouncePolicyViolation',
  'resource-constraint': 'bounceResourceConstraint',
};

/**
 * Why a sent message failed (`Message.error`, the core's English sentence ending in its
 * condition, or the bare condition): as is in English, else by its condition.
 */
export function bounceText(error: string, t: Messages): string {
  if (t === en) return error;
  const condition = /\(([a-z-]+)\)$/u.exec(error)?.[1] ?? /^([a-z-]+)(?::|$)/u.exec(error)?.[1];
  const key =
    condition !== undefined && Object.hasOwn(BOUNCE_SENTENCES, condition) ? BOUNCE_SENTENCES[condition] : undefined;
  return key === undefined ? t.bounceOther : t[key];
}
