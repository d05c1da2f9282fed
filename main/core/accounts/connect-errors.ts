/** Turns whatever a connection attempt threw into one clear sentence for the user. */
import { CoreError } from '../errors.ts';
import { SaslDowngradeError, SaslFailure } from '../xmpp/sasl.ts';
import { ScramError } from '../xmpp/scram.ts';
import { InsecureStreamError, StartTlsRefusedError } from '../xmpp/entity.ts';
import { CertificateError, TlsVersionError } from '../xmpp/tls.ts';
import type { Endpoint } from './endpoint.ts';

const TLS_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/u;
/** OpenSSL's ways of saying the two sides share no TLS version (the server's is older than 1.2). */
const TLS_VERSION_CODES = /(UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_LOW)/u;

function codeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return '';
}

export function classifyConnectError(err: unknown, endpoint: Endpoint, domain: string): CoreError {
  const where = `${endpoint.host}:${String(endpoint.port)}`;
  if (err instanceof CertificateError) {
    if (err.kind === 'changed') {
      return new CoreError(
        'certificate-changed',
        `The certificate of ${err.domain} changed since you trusted it. This can mean that someone is intercepting the connection; Parley will not connect until you check the new certificate and trust it.`,
        { cause: err, certificate: err.certificate },
      );
    }
    return new CoreError(
      'certificate-untrusted',
      `The server's certificate for ${err.domain} is not trusted: ${err.certificate.reason}.`,
      { cause: err, certificate: err.certificate },
    );
  }
  if (err instanceof SaslDowngradeError) {
    const now = err.available ? `only ${err.available}` : 'no sign-in method Parley accepts';
    return new CoreError(
      'auth-downgrade',
      `The server for ${domain} now offers ${now}, weaker than ${err.required} used before. This can mean that someone is tampering with the connection; Parley did not send your password.`,
      { cause: err },
    );
  }
  if (err instanceof TlsVersionError) {
    return new CoreError(
      'tls-failed',
      `The server at ${where} uses ${err.protocol}; Parley requires TLS 1.2 or newer.`,
      { cause: err },
    );
  }
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
  if (code.startsWith('ERR_SSL_') && TLS_VERSION_CODES.test(code)) {
    return new CoreError(
      'tls-failed',
      `Secure connection to ${where} failed: the server supports no TLS version Parley accepts (1.2 or newer).`,
      { cause: err },
    );
  }
  if (TLS_CODES.test(code)) {
    return new CoreError(
      'tls-failed',
      `Secure connection to ${where} failed: the TLS handshake did not succeed (${code}).`,
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
  if (err instanceof StartTlsRefusedError || (err instanceof Error && err.message.includes('STARTTLS'))) {
    return new CoreError('tls-failed', `The server at ${where} refused to secure the connection.`, { cause: err });
  }
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new CoreError('network', `The connection to ${where} was closed unexpectedly.`, { cause: err });
  return new CoreError('network', `Could not connect to ${where}${err instanceof Error ? `: ${err.message}` : ''}.`, {
    cause: err,
  });
}
