/**
 * SCRAM (RFC 5802 / RFC 7677) client for SASL: SCRAM-SHA-1 and SCRAM-SHA-256, and their
 * -PLUS variants with channel binding (the gs2 header and `c=` carry the binding data).
 *
 * Hi() is computed with node:crypto's pbkdf2 (one native call) instead of
 * one awaited HMAC per iteration: a login costs milliseconds, not a second.
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export type ScramHash = 'sha1' | 'sha256';
export const SCRAM_MECHANISMS: Record<string, ScramHash> = {
  'SCRAM-SHA-256-PLUS': 'sha256',
  'SCRAM-SHA-1-PLUS': 'sha1',
  'SCRAM-SHA-256': 'sha256',
  'SCRAM-SHA-1': 'sha1',
};
const HASH_BYTES: Record<ScramHash, number> = { sha1: 20, sha256: 32 };
/** Refuse absurd iteration counts from a hostile server (CPU exhaustion) and weak ones. */
const MIN_ITERATIONS = 1024;
const MAX_ITERATIONS = 1_000_000;

export class ScramError extends Error {
  override name = 'ScramError';
}

/** RFC 5802 saslname: '=' and ',' escaped. */
export function saslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function parseAttributes(message: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== 1) throw new ScramError('malformed SCRAM message');
    attrs.set(part[0] ?? '', part.slice(2));
  }
  return attrs;
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

/**
 * The gs2 channel-binding flag (RFC 5802 §7): 'n' the client cannot bind; 'y' it could, but
 * the server does not seem to (a server that can then knows the -PLUS offer was stripped);
 * 'p' bound with `type`, whose `data` goes into `c=`.
 */
export type ScramChannelBinding = { flag: 'n' } | { flag: 'y' } | { flag: 'p'; type: string; data: Buffer };

/** The gs2 header (no authzid): "n,,", "y,," or "p=TYPE,,". */
export function gs2Header(binding: ScramChannelBinding): string {
  return binding.flag === 'p' ? `p=${binding.type},,` : `${binding.flag},,`;
}

/** The client-final `c=` value: base64(gs2 header + channel-binding data, if bound). */
export function channelBindingAttribute(binding: ScramChannelBinding): string {
  const header = Buffer.from(gs2Header(binding), 'utf8');
  return (binding.flag === 'p' ? Buffer.concat([header, binding.data]) : header).toString('base64');
}

/** One SCRAM exchange. Not reusable. */
export class ScramClient {
  readonly #hash: ScramHash;
  readonly #password: string;
  readonly #clientFirstBare: string;
  readonly #nonce: string;
  readonly #binding: ScramChannelBinding;
  #expectedServerSignature: Buffer | undefined;

  constructor(
    hash: ScramHash,
    username: string,
    password: string,
    nonce = randomBytes(24).toString('base64'),
    binding: ScramChannelBinding = { flag: 'n' },
  ) {
    if (binding.flag === 'p' && (!/^[A-Za-z0-9.-]+$/u.test(binding.type) || binding.data.length === 0)) {
      throw new ScramError('invalid channel binding');
    }
    this.#binding = binding;
    this.#hash = hash;
    // SASLprep (RFC 4013) is approximated by NFKC normalisation.
    this.#password = password.normalize('NFKC');
    this.#nonce = nonce;
    this.#clientFirstBare = `n=${saslName(username.normalize('NFKC'))},r=${nonce}`;
  }

  clientFirst(): string {
    return gs2Header(this.#binding) + this.#clientFirstBare;
  }

  async clientFinal(serverFirst: string): Promise<string> {
    const attrs = parseAttributes(serverFirst);
    const nonce = attrs.get('r');
    const salt = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (attrs.has('m')) throw new ScramError('unsupported SCRAM extension');
    if (!nonce?.startsWith(this.#nonce) || nonce.length === this.#nonce.length)
      throw new ScramError('server nonce invalid');
    if (!salt) throw new ScramError('server salt missing');
    if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new ScramError(`server iteration count unacceptable: ${String(attrs.get('i'))}`);
    }
    const hmac = (key: Buffer, data: string) => createHmac(this.#hash, key).update(data).digest();
    const salted = await pbkdf2Async(
      this.#password,
      Buffer.from(salt, 'base64'),
      iterations,
      HASH_BYTES[this.#hash],
      this.#hash,
    );
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash(this.#hash).update(clientKey).digest();
    const withoutProof = `c=${channelBindingAttribute(this.#binding)},r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${serverFirst},${withoutProof}`;
    const proof = xor(clientKey, hmac(storedKey, authMessage));
    this.#expectedServerSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Checks the server's proof that it knows the password too (mutual auth). */
  verifyServerFinal(serverFinal: string): void {
    const attrs = parseAttributes(serverFinal);
    const error = attrs.get('e');
    if (error) throw new ScramError(`server rejected SCRAM: ${error}`);
    const v = attrs.get('v');
    const expected = this.#expectedServerSignature;
    if (!v || !expected) throw new ScramError('server signature missing');
    const got = Buffer.from(v, 'base64');
    if (got.length !== expected.length || !timingSafeEqual(got, expected))
      throw new ScramError('server signature invalid');
  }
}
