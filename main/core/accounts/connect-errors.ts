/** Turns whatever a connection attempt threw into one clear sentence for the user. */
import { CoreError } from '../errors.ts';
import { SaslFailure } from '../xmpp/sasl.ts';
import { ScramError } from '../xmpp/scram.ts';
import { InsecureStreamError } from '../xmpp/entity.ts';
import type { Endpoint } from './endpoint.ts';

const TLS_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/u;

function codeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return '';
}

export function classifyConnectError(err: unknown, endpoint: Endpoint, domain: string): CoreError {
  const where = `${endpoint.host}:${String(endpoint.port)}`;
  if (err instanceof SaslFailure) {
    if (
      err.condition === 'not-authorized' ||
      err.condition === 'account-disabled' ||
      err.condition === 'credentials-expired'
    ) {
      return new CoreError('auth-failed', 'Wrong address or password.', { cause: err });
    }
    return new CoreError('auth-failed', `Authentication failed (${err.condition}).`, { cause: err });
  }
  if (err instanceof ScramError) {
    return new CoreError('auth-failed', `Authentication failed: ${err.message}.`, { cause: err });
  }
  const code = codeOf(err);
  const name = err instanceof Error ? err.name : '';
  if (code === 'ECONNREFUSED')
    return new CoreError('connection-refused', `Connection refused by ${where}: no XMPP server is listening there.`, {
      cause: err,
    });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') {
    return new CoreError('dns-failed', `Server ${endpoint.host} not found (DNS lookup failed).`, { cause: err });
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return new CoreError('network', `Host ${where} is unreachable.`, { cause: err });
  if (code === 'ETIMEDOUT' || name === 'TimeoutError' || name === 'ConnectTimeout') {
    return new CoreError('timeout', `No answer from ${where} (timed out).`, { cause: err });
  }
  if (TLS_CODES.test(code)) {
    return new CoreError(
      'tls-failed',
      `Secure connection to ${where} failed: the server's certificate for ${domain} could not be verified (${code}).`,
      { cause: err },
    );
  }
  if (name === 'StreamError') {
    const condition = (err as { condition?: unknown }).condition;
    if (condition === 'host-unknown')
      return new CoreError('stream-error', `The server at ${where} does not serve ${domain}.`, { cause: err });
    return new CoreError('stream-error', `The server closed the connection (${String(condition)}).`, { cause: err });
  }
  if (err instanceof InsecureStreamError) {
    return new CoreError(
      'tls-failed',
      `The server at ${where} does not offer an encrypted connection; Parley will not sign in without one.`,
      { cause: err },
    );
  }
  if (err instanceof Error && err.message.includes('STARTTLS')) {
    return new CoreError('tls-failed', `The server at ${where} refused to secure the connection.`, { cause: err });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new CoreError('network', `The connection to ${where} was closed unexpectedly.`, { cause: err });
  return new CoreError('network', `Could not connect to ${where}${err instanceof Error ? `: ${err.message}` : ''}.`, {
    cause: err,
  });
}
