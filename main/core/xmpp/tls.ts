/**
 * Parley's own TLS step (RFC 6120 §5, XEP-0368), for STARTTLS and direct TLS alike:
 *
 * - TLS 1.2 or newer only; SNI is the XMPP domain.
 * - The chain is verified against the OS trust store, Node's bundled roots and
 *   NODE_EXTRA_CA_CERTS; the name is checked against the XMPP domain, never the host we
 *   connected to (an SRV target or a server override is not what the user asked for).
 * - We verify ourselves (`rejectUnauthorized: false`, then `authorized` and
 *   `checkServerIdentity`) so that a refused certificate can be shown to the user
 *   (`CertificateError` carries its `CertificateInfo`); nothing of the stream is written
 *   over a connection that failed this check.
 * - A pinned certificate (the user trusted this exact certificate, by SHA-256 fingerprint)
 *   is accepted even if no CA vouches for it; while a pin is set, any other certificate is
 *   refused as 'changed', even one a CA would accept.
 *
 * Also here: channel-binding data for SCRAM-*-PLUS (RFC 5929, RFC 9266).
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { CertificateInfo } from '../../../preload/contract.ts';

export const TLS_MIN_VERSION: tls.SecureVersion = 'TLSv1.2';
const ACCEPTED_PROTOCOLS = new Set(['TLSv1.2', 'TLSv1.3']);

/** The certificate was refused: not trusted, or not the one the user pinned. */
export class CertificateError extends Error {
  override name = 'CertificateError';
  /** 'untrusted': no CA vouches for it for this domain; 'changed': a pin is set and this is another certificate. */
  readonly kind: 'untrusted' | 'changed';
  readonly domain: string;
  readonly certificate: CertificateInfo;
  /** Node/OpenSSL's code for the verification failure ('CERT_PIN_MISMATCH' for a changed pin). */
  readonly code: string;
  constructor(kind: 'untrusted' | 'changed', domain: string, certificate: CertificateInfo, code: string) {
    super(
      kind === 'changed'
        ? `the certificate of ${domain} is not the one pinned for it (${certificate.fingerprint256})`
        : `the certificate of ${domain} is not trusted: ${certificate.reason}`,
    );
    this.kind = kind;
    this.domain = domain;
    this.certificate = certificate;
    this.code = code;
  }
}

/** The server negotiated a protocol older than TLS 1.2 (OpenSSL should never let that happen). */
export class TlsVersionError extends Error {
  override name = 'TlsVersionError';
  readonly code = 'ERR_TLS_PROTOCOL_VERSION';
  readonly protocol: string;
  constructor(protocol: string) {
    super(`the server negotiated ${protocol}; Parley requires TLS 1.2 or newer`);
    this.protocol = protocol;
  }
}

export interface TlsTarget {
  /** The XMPP domain: sent as SNI, and the name the certificate must be valid for. */
  domain: string;
  /** SHA-256 fingerprint of the certificate the user trusted for this account (any case, colons optional). */
  pinnedFingerprint?: string | undefined;
  /** Trust anchors to use instead of the system store (tests). */
  ca?: string[] | undefined;
}

// --- trust store --------------------------------------------------------------

let defaultContext: tls.SecureContext | undefined;

/**
 * The OS store, Node's bundled roots and NODE_EXTRA_CA_CERTS. Node's `tls.connect` without
 * `ca` uses 'default' = bundled + NODE_EXTRA_CA_CERTS only (the OS store only with
 * --use-system-ca), so we pass the union; built once per process (NODE_EXTRA_CA_CERTS is
 * read at start anyway).
 */
export function trustedCaCertificates(): string[] {
  const get = (tls as { getCACertificates?: (type: 'default' | 'system') => string[] }).getCACertificates;
  if (!get) return [...tls.rootCertificates];
  let system: string[];
  try {
    system = get('system');
  } catch {
    system = []; // an unreadable OS store leaves the bundled roots + NODE_EXTRA_CA_CERTS
  }
  return [...new Set([...get('default'), ...system])];
}

function secureContextFor(target: TlsTarget): tls.SecureContext {
  if (target.ca) return tls.createSecureContext({ ca: target.ca, minVersion: TLS_MIN_VERSION });
  defaultContext ??= tls.createSecureContext({ ca: trustedCaCertificates(), minVersion: TLS_MIN_VERSION });
  return defaultContext;
}

// --- certificate description ----------------------------------------------------

/** "AA:BB:…" (upper-case hex, colon-separated) from any spelling of a fingerprint. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[^0-9a-f]/giu, '').toUpperCase();
  return (hex.match(/../gu) ?? []).join(':');
}

const NAME_ORDER = ['CN', 'OU', 'O', 'L', 'ST', 'C'];

/** A distinguished name as people read it: "CN=…, O=…, C=…" (most specific first). */
export function formatDistinguishedName(name: Record<string, string | string[] | undefined> | undefined): string {
  if (!name) return '';
  const keys = Object.keys(name).sort((a, b) => {
    const ia = NAME_ORDER.indexOf(a);
    const ib = NAME_ORDER.indexOf(b);
    return (ia < 0 ? NAME_ORDER.length : ia) - (ib < 0 ? NAME_ORDER.length : ib);
  });
  const parts: string[] = [];
  for (const key of keys) {
    const value = name[key];
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${key}=${v}`);
  }
  return parts.join(', ');
}

function isoDate(text: string | undefined): string {
  if (!text) return '';
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

export function certificateInfo(cert: tls.PeerCertificate | undefined, reason: string): CertificateInfo {
  return {
    subject: formatDistinguishedName(cert?.subject),
    issuer: formatDistinguishedName(cert?.issuer),
    validFrom: isoDate(cert?.valid_from),
    validTo: isoDate(cert?.valid_to),
    fingerprint256: cert?.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : '',
    reason,
  };
}

/** OpenSSL's verification results (X509_V_ERR_*), as Node reports them in `authorizationError`. */
const VERIFY_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_REVOKED: 'certificate revoked',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_REJECTED: 'certificate rejected',
  CERT_CHAIN_TOO_LONG: 'certificate chain too long',
  INVALID_CA: 'invalid CA certificate',
  INVALID_PURPOSE: 'unsupported certificate purpose',
  PATH_LENGTH_EXCEEDED: 'path length constraint exceeded',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: "format error in certificate's notBefore field",
  ERROR_IN_CERT_NOT_AFTER_FIELD: "format error in certificate's notAfter field",
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'unable to decode issuer public key',
  HOSTNAME_MISMATCH: 'hostname mismatch',
};

export function describeVerifyError(code: string): string {
  return VERIFY_REASONS[code] ?? code.toLowerCase().replace(/_/gu, ' ');
}

function namesIn(cert: tls.PeerCertificate): string {
  const alt = cert.subjectaltname
    ?.split(', ')
    .map((n) => n.replace(/^(DNS|IP Address):/u, ''))
    .join(', ');
  return alt ?? (typeof cert.subject.CN === 'string' ? cert.subject.CN : '');
}

/**
 * Checks a finished handshake: the protocol, then the pin if one is set, else the chain and
 * the name (against the XMPP domain). Returns the reason to refuse, or undefined.
 */
/** The server's certificate, or undefined if it sent none (Node then returns an empty object). */
export function peerCertificate(socket: tls.TLSSocket): tls.DetailedPeerCertificate | undefined {
  const cert = socket.getPeerCertificate(true) as Partial<tls.DetailedPeerCertificate> | null;
  return cert?.raw && cert.raw.length > 0 ? (cert as tls.DetailedPeerCertificate) : undefined;
}

export function verifyTlsPeer(
  socket: tls.TLSSocket,
  target: TlsTarget,
): CertificateError | TlsVersionError | undefined {
  const protocol = socket.getProtocol();
  if (!protocol || !ACCEPTED_PROTOCOLS.has(protocol)) return new TlsVersionError(protocol ?? 'no TLS');
  const { domain } = target;
  const cert = peerCertificate(socket);
  if (!cert) {
    return new CertificateError(
      'untrusted',
      domain,
      certificateInfo(undefined, 'the server sent no certificate'),
      'NO_CERTIFICATE',
    );
  }
  if (target.pinnedFingerprint !== undefined) {
    if (normalizeFingerprint(cert.fingerprint256) === normalizeFingerprint(target.pinnedFingerprint)) return undefined;
    const also = socket.authorized ? '' : ` (and ${describeVerifyError(String(socket.authorizationError))})`;
    return new CertificateError(
      'changed',
      domain,
      certificateInfo(cert, `it is not the certificate you trusted for ${domain}${also}`),
      'CERT_PIN_MISMATCH',
    );
  }
  if (!socket.authorized) {
    const code = String(socket.authorizationError);
    return new CertificateError('untrusted', domain, certificateInfo(cert, describeVerifyError(code)), code);
  }
  const mismatch = tls.checkServerIdentity(domain, cert);
  if (mismatch) {
    const reason = `it is not valid for ${domain}${namesIn(cert) ? ` (it is for ${namesIn(cert)})` : ''}`;
    return new CertificateError('untrusted', domain, certificateInfo(cert, reason), 'ERR_TLS_CERT_ALTNAME_INVALID');
  }
  return undefined;
}

export type TlsConnectOptions = TlsTarget & ({ socket: net.Socket } | { host: string; port: number });

/**
 * Performs the handshake (over `socket` for STARTTLS, or to host:port for direct TLS) and
 * verifies the peer. Resolves with the TLS socket, which nothing has been written to; on
 * any failure the connection is destroyed and the promise rejects (CertificateError,
 * TlsVersionError, or the socket's own error).
 */
export function connectVerifiedTls(options: TlsConnectOptions): Promise<tls.TLSSocket> {
  const { domain } = options;
  const base: tls.ConnectionOptions = {
    secureContext: secureContextFor(options),
    minVersion: TLS_MIN_VERSION,
    // SNI must be a host name (RFC 6066 §3): not for a domain written as an IP address.
    ...(net.isIP(domain) ? {} : { servername: domain }),
    rejectUnauthorized: false,
    // `authorized` then reflects the chain alone; the name is checked against the domain below.
    checkServerIdentity: () => undefined,
  };
  const socket =
    'socket' in options
      ? tls.connect({ ...base, socket: options.socket })
      : tls.connect({ ...base, host: options.host, port: options.port });
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => {
      socket.removeListener('secureConnect', onSecure);
      socket.removeListener('error', fail);
      socket.destroy();
      if ('socket' in options) options.socket.destroy();
      reject(err);
    };
    const onSecure = () => {
      const refusal = verifyTlsPeer(socket, options);
      if (refusal) {
        fail(refusal);
        return;
      }
      socket.removeListener('error', fail);
      resolve(socket);
    };
    socket.once('secureConnect', onSecure);
    socket.once('error', fail);
  });
}

/**
 * The socket xmpp.js's connection uses, over a verified TLS socket (the shape of
 * @xmpp/tls's Socket): 'connect' only once the peer is verified, then 'data', 'error', 'close'.
 */
export class VerifiedTlsSocket extends EventEmitter {
  readonly secure = true;
  socket: tls.TLSSocket | null = null;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Direct TLS: `params` come from the transport's socketParameters. */
  connect(params: TlsConnectOptions): void {
    connectVerifiedTls(params).then(
      (socket) => {
        this.#attach(socket);
      },
      (err: unknown) => {
        this.emit('error', err);
        this.#emitClose();
      },
    );
  }

  /** STARTTLS: upgrade `raw` in place; resolves once verified (the caller attaches us then). */
  async upgrade(raw: net.Socket, target: TlsTarget): Promise<void> {
    const socket = await connectVerifiedTls({ ...target, socket: raw });
    this.#attach(socket, false);
  }

  #attach(socket: tls.TLSSocket, announce = true): void {
    this.socket = socket;
    socket.on('data', (data: Buffer) => this.emit('data', data));
    socket.on('error', (err: Error) => this.emit('error', err));
    socket.on('close', () => {
      this.socket = null;
      this.#emitClose();
    });
    if (!announce) return;
    // As @xmpp/tls does: a short pause before the stream header helps Openfire's TLS 1.3.
    if (socket.getProtocol() === 'TLSv1.3') {
      this.#timer = setTimeout(() => this.emit('connect'), 1);
    } else {
      this.emit('connect');
    }
  }

  #emitClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.emit('close');
  }

  end(): void {
    if (this.socket) this.socket.end();
    else this.#emitClose();
  }

  write(data: string, callback?: (err?: Error | null) => void): void {
    const socket = this.socket;
    if (!socket) {
      callback?.(new Error('the connection is closed'));
      return;
    }
    socket.write(data, callback);
  }
}

/** The TLS socket under an xmpp.js entity's socket, if the stream is encrypted. */
export function tlsSocketOf(entitySocket: unknown): tls.TLSSocket | undefined {
  if (entitySocket instanceof tls.TLSSocket) return entitySocket;
  const inner = (entitySocket as { socket?: unknown } | null)?.socket;
  return inner instanceof tls.TLSSocket ? inner : undefined;
}

// --- channel binding (RFC 5929, RFC 9266) -----------------------------------------

export type ChannelBindingType = 'tls-exporter' | 'tls-unique' | 'tls-server-end-point';

/** What a TLS connection offers SASL for channel binding. */
export interface ChannelBindingSource {
  /** The bindings this connection can produce, best first. */
  readonly types: readonly ChannelBindingType[];
  /** What a server that does not list its bindings (XEP-0440) expects: tls-exporter on TLS 1.3, tls-unique before. */
  readonly defaultType: ChannelBindingType | undefined;
  data(type: ChannelBindingType): Buffer | undefined;
}

/** Reads one DER TLV at `offset`: its tag, where its content starts and ends. */
function derAt(der: Uint8Array, offset: number): { tag: number; start: number; end: number } | undefined {
  const tag = der[offset];
  let length = der[offset + 1];
  if (tag === undefined || length === undefined) return undefined;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = der[start + i];
      if (byte === undefined) return undefined;
      length = length * 256 + byte;
    }
    start += count;
  }
  const end = start + length;
  return end > der.length ? undefined : { tag, start, end };
}

function decodeOid(bytes: Uint8Array): string {
  const first = bytes[0] ?? 0;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** An AlgorithmIdentifier at `offset`: its OID and where its parameters are. */
function algorithmAt(der: Uint8Array, offset: number): { oid: string; params: number; end: number } | undefined {
  const seq = derAt(der, offset);
  if (seq?.tag !== 0x30) return undefined;
  const oid = derAt(der, seq.start);
  if (oid?.tag !== 0x06) return undefined;
  return { oid: decodeOid(der.subarray(oid.start, oid.end)), params: oid.end, end: seq.end };
}

/** The signatureAlgorithm OID of a DER certificate (and the hash OID inside RSASSA-PSS parameters). */
export function certificateSignatureAlgorithm(der: Uint8Array): { oid: string; pssHash?: string } | undefined {
  const cert = derAt(der, 0);
  if (cert?.tag !== 0x30) return undefined;
  const tbs = derAt(der, cert.start);
  if (tbs?.tag !== 0x30) return undefined;
  const algorithm = algorithmAt(der, tbs.end);
  if (!algorithm) return undefined;
  if (algorithm.oid !== OID_RSASSA_PSS) return { oid: algorithm.oid };
  // RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, ... }
  const params = derAt(der, algorithm.params);
  if (params?.tag !== 0x30) return { oid: algorithm.oid, pssHash: OID_SHA1 };
  const first = params.start < params.end ? derAt(der, params.start) : undefined;
  if (first?.tag !== 0xa0) return { oid: algorithm.oid, pssHash: OID_SHA1 };
  const hash = algorithmAt(der, first.start);
  return hash ? { oid: algorithm.oid, pssHash: hash.oid } : undefined;
}

const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
const OID_SHA1 = '1.3.14.3.2.26';
/** Signature algorithm (or PSS hash) OID → the hash its signature uses. */
const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5', // md5WithRSAEncryption
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10040.4.3': 'sha1', // dsa-with-sha1
  '2.16.840.1.101.3.4.3.1': 'sha224', // dsa-with-sha224
  '2.16.840.1.101.3.4.3.2': 'sha256', // dsa-with-sha256
  [OID_SHA1]: 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/**
 * RFC 5929 §4.1: the hash for tls-server-end-point is the certificate's signature hash,
 * SHA-256 when that is MD5 or SHA-1; undefined when the signature has no single hash (EdDSA).
 */
export function serverEndPointHash(der: Uint8Array): string | undefined {
  const algorithm = certificateSignatureAlgorithm(der);
  if (!algorithm) return undefined;
  const hash = SIGNATURE_HASHES[algorithm.pssHash ?? algorithm.oid];
  if (!hash) return undefined;
  return hash === 'md5' || hash === 'sha1' ? 'sha256' : hash;
}

/** tls-server-end-point data: the hash of the server's certificate (DER). */
export function serverEndPointData(der: Uint8Array): Buffer | undefined {
  const hash = serverEndPointHash(der);
  return hash ? createHash(hash).update(der).digest() : undefined;
}

export const TLS_EXPORTER_LABEL = 'EXPORTER-Channel-Binding';

export function channelBindingSource(socket: tls.TLSSocket): ChannelBindingSource {
  const protocol = socket.getProtocol();
  const cert = peerCertificate(socket);
  const der = cert ? new Uint8Array(cert.raw) : undefined;
  const endPoint = der ? serverEndPointData(der) : undefined;
  const types: ChannelBindingType[] = [];
  let defaultType: ChannelBindingType | undefined;
  if (protocol === 'TLSv1.3') {
    types.push('tls-exporter');
    defaultType = 'tls-exporter';
  } else if (protocol === 'TLSv1.2') {
    // tls-unique is undefined for TLS 1.3 (RFC 9266 §3) and tls-exporter needs the extended
    // master secret on TLS 1.2, which Node cannot confirm: tls-unique it is.
    types.push('tls-unique');
    defaultType = 'tls-unique';
  }
  if (endPoint) types.push('tls-server-end-point');
  return {
    types,
    defaultType,
    data(type) {
      if (!types.includes(type)) return undefined;
      switch (type) {
        case 'tls-exporter':
          // RFC 9266 §2: 32 bytes, label "EXPORTER-Channel-Binding", empty context.
          return socket.exportKeyingMaterial(32, TLS_EXPORTER_LABEL, Buffer.alloc(0));
        case 'tls-unique':
          // RFC 5929 §3.1: the first Finished message of the latest handshake (ours, unless resumed).
          return (socket.isSessionReused() ? socket.getPeerFinished() : socket.getFinished()) ?? undefined;
        case 'tls-server-end-point':
          return endPoint;
      }
    },
  };
}
